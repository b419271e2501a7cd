package io.busbar.routes.source;

import io.busbar.routes.BufferLayout;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQInternalErrorException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * A real embedded Artemis broker laid out like Busbar's buffer (persistent journal synced on every
 * commit, the readings address with one target queue), and a switch that makes it refuse the Nth
 * message sent from now on, as a broker that fails in the middle of a batch.
 */
final class TestBuffer implements AutoCloseable {

    static final String URL = "vm://7";
    static final String TARGET_QUEUE = BufferLayout.targetQueue("out");
    static final String PAIR = "plant";
    /** The forward log of {@link #PAIR}, as bootstrap lays it out. */
    static final String FORWARD_LOG = BufferLayout.forwardLogQueue(PAIR);

    private final Path dir;
    private final AtomicInteger sendsUntilFailure = new AtomicInteger(-1);
    private EmbeddedActiveMQ broker;

    TestBuffer(Path dir) {
        this.dir = dir;
    }

    TestBuffer start() throws Exception {
        broker = new EmbeddedActiveMQ().setConfiguration(configuration());
        broker.start();
        return this;
    }

    void stop() throws Exception {
        broker.stop();
    }

    /** The routes' factory as bootstrap wires it: durable sends block, chunks are no large messages. */
    static CachingConnectionFactory connections() {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(URL);
        artemis.setBlockOnDurableSend(true);
        artemis.setMinLargeMessageSize(BufferLayout.MIN_LARGE_MESSAGE_SIZE);
        return new CachingConnectionFactory(artemis);
    }

    /** The broker refuses the {@code n}th message sent from now on (1 = the next one), then accepts again. */
    void failNthSend(int n) {
        sendsUntilFailure.set(n);
    }

    Queue targetQueue() {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(TARGET_QUEUE));
    }

    Queue forwardLog() {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(FORWARD_LOG));
    }

    private Configuration configuration() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("test-buffer")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setNodeManagerLockDirectory(dir.toString())
                .setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("in-vm", URL);
        config.addAddressConfiguration(new CoreAddressConfiguration()
                .setName(BufferLayout.READINGS_ADDRESS)
                .addRoutingType(RoutingType.MULTICAST)
                .addQueueConfiguration(QueueConfiguration.of(TARGET_QUEUE)
                        .setAddress(BufferLayout.READINGS_ADDRESS)
                        .setRoutingType(RoutingType.MULTICAST)
                        .setDurable(true))
                .addQueueConfiguration(QueueConfiguration.of(FORWARD_LOG)
                        .setAddress(BufferLayout.READINGS_ADDRESS)
                        .setRoutingType(RoutingType.MULTICAST)
                        .setFilterString(BufferLayout.forwardLogFilter(PAIR))
                        .setDurable(true)));
        config.registerBrokerPlugin(new ActiveMQServerMessagePlugin() {
            // routing is where a real broker fails a send (address full, storage): Artemis then marks
            // the transaction rollback-only. (A beforeSend plugin failure would only be logged.)
            @Override
            public void beforeMessageRoute(Message message, RoutingContext context, boolean direct,
                                           boolean rejectDuplicates) throws ActiveMQException {
                if (sendsUntilFailure.get() > 0 && sendsUntilFailure.decrementAndGet() == 0) {
                    throw new ActiveMQInternalErrorException("test: the broker fails in the middle of a batch");
                }
            }
        });
        return config;
    }

    @Override
    public void close() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }
}
