package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Dead letters (the jms component) and readings (the policy's session) must share one factory. */
class BufferTransactionTest {

    @Test
    void sameFactory_isTheOneTheIngestWritesOn() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("jms", JmsComponent.jmsComponent(factory));
            camel.getRegistry().bind(BufferTransaction.POLICY, BufferTransaction.policy(factory));

            assertThat(BufferTransaction.connections(camel)).isSameAs(factory);
        }
    }

    @Test
    void differentFactories_refusedBeforeAnythingIsWritten() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("jms", JmsComponent.jmsComponent(new ActiveMQConnectionFactory("vm://0")));
            camel.getRegistry().bind(BufferTransaction.POLICY, BufferTransaction.policy(new ActiveMQConnectionFactory("vm://0")));

            assertThatThrownBy(() -> BufferTransaction.connections(camel)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("different connection factories");
        }
    }

    @Test
    void noPolicy_saysWhatIsMissing() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            assertThatThrownBy(() -> BufferTransaction.connections(camel)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no JMS transaction policy '" + BufferTransaction.POLICY + "'");
        }
    }
}
