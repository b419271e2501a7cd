package io.busbar.routes.source;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jms.connection.JmsTransactionManager;

/**
 * The JMS transaction an ingest route ({@link IngestRoute}) runs in: a Camel
 * {@link SpringTransactionPolicy} over a {@link JmsTransactionManager}, bound in the Camel registry
 * as {@link #POLICY}, on the same connection factory as the {@code jms} component.
 *
 * <p>The policy binds one transacted session to the thread for the exchange. The {@code jms}
 * producer (source dead letters) finds it through Spring's {@code ConnectionFactoryUtils}, and so
 * does {@link ChunkedBatchWriter} (the readings), so a batch's readings and dead letters are one
 * commit: a batch that fails and is sent again cannot leave its dead letters behind twice.
 *
 * <p>The manager is deliberately not a Spring bean: as the only {@code PlatformTransactionManager}
 * it would be autowired into the {@code jms} component and change how the delivery routes'
 * transacted consumers commit.
 */
public final class BufferTransaction {

    /** The registry name of the ingest routes' transaction policy. */
    public static final String POLICY = "busbarBufferTransaction";

    private BufferTransaction() {
    }

    /** @param connections the {@code jms} component's factory (the transaction's session is keyed by it) */
    public static SpringTransactionPolicy policy(ConnectionFactory connections) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(new JmsTransactionManager(connections));
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /**
     * The factory the policy's transactions open their sessions on.
     *
     * @throws IllegalStateException when the registry has no such policy
     */
    static ConnectionFactory connections(CamelContext context) {
        SpringTransactionPolicy policy = context.getRegistry().lookupByNameAndType(POLICY, SpringTransactionPolicy.class);
        if (policy == null || !(policy.getTransactionManager() instanceof JmsTransactionManager manager)
                || manager.getConnectionFactory() == null) {
            throw new IllegalStateException("the Camel registry has no JMS transaction policy '" + POLICY
                    + "' (BufferTransaction.policy over the jms component's connection factory); the ingest"
                    + " routes write the buffer in it");
        }
        ConnectionFactory policyFactory = manager.getConnectionFactory();
        if (context.hasComponent("jms") instanceof JmsComponent jms
                && jms.getConfiguration().getConnectionFactory() != null
                && jms.getConfiguration().getConnectionFactory() != policyFactory) {
            // dead letters go through the jms component, readings through the policy's session: on two
            // factories they would commit apart, and a batch sent again would dead-letter twice
            throw new IllegalStateException("the jms component and the transaction policy '" + POLICY
                    + "' use different connection factories; source dead letters and readings must commit together");
        }
        return policyFactory;
    }

    /** Like {@link #connections}, or null when the registry has no policy (a pair without a buffer). */
    static ConnectionFactory connectionsIfBound(CamelContext context) {
        SpringTransactionPolicy policy = context.getRegistry().lookupByNameAndType(POLICY, SpringTransactionPolicy.class);
        return policy != null && policy.getTransactionManager() instanceof JmsTransactionManager manager
                ? manager.getConnectionFactory() : null;
    }
}
