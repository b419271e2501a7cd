package io.busbar.bootstrap.buffer;

import io.busbar.routes.BufferLayout;
import io.busbar.routes.plan.BusbarPlan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The embedded ActiveMQ Artemis broker that makes readings durable: a persistent journal under the
 * buffer data directory, synced to disk on every durable send and commit, the readings address and
 * one durable queue per target (see {@link BufferLayout}).
 */
public final class EmbeddedBuffer implements BufferQueues, AutoCloseable {

    /**
     * Heap the broker may fill with messages before it pages them to disk. Artemis' default is half
     * the JVM's heap, so a backlog (a target down for a minute at 10,000 readings/s) took 128 MB of
     * a 256 MB Busbar and ended in an OutOfMemoryError; paged messages cost disk, not heap.
     */
    static final long GLOBAL_MAX_SIZE_BYTES = 24L * 1024 * 1024;

    /** The in-VM acceptor id; clients in this JVM connect with {@code vm://0}. */
    public static final String IN_VM_URL = "vm://0";

    private final EmbeddedActiveMQ broker;

    public EmbeddedBuffer(Path dataDir, BusbarPlan plan) {
        this(dataDir, plan, BrokerExtension.NONE);
    }

    /** @param extension more set-up of the broker, e.g. the site-to-central bridge or listener */
    public EmbeddedBuffer(Path dataDir, BusbarPlan plan, BrokerExtension extension) {
        Configuration configuration = configuration(dataDir, plan);
        extension.configure(configuration);
        this.broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        extension.securityManager().ifPresent(broker::setSecurityManager);
    }

    public void start() throws Exception {
        broker.start();
    }

    public EmbeddedActiveMQ broker() {
        return broker;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }

    @Override
    public long messageCount(String queue) {
        return locate(queue).map(Queue::getMessageCount).orElse(0L);
    }

    @Override
    public long messagesAcknowledged(String queue) {
        return locate(queue).map(Queue::getMessagesAcknowledged).orElse(0L);
    }

    @Override
    public Optional<Instant> firstMessageTime(String queue, String property) {
        SimpleString name = SimpleString.of(property);
        return locate(queue).flatMap(found -> {
            // what a consumer holds unacknowledged (a target's batch, the site bridge's window) is still
            // in the queue and usually its oldest: peekFirstMessage sees only what waits behind it
            Stream<MessageReference> delivering = found.getDeliveringMessages().values().stream()
                    .filter(held -> !held.isEmpty()).map(held -> held.get(0));
            return Stream.concat(Stream.ofNullable(found.peekFirstMessage()), delivering)
                    .map(reference -> reference.getMessage().getObjectProperty(name))
                    .filter(value -> value instanceof Number number && number.longValue() > 0)
                    .map(value -> Instant.ofEpochMilli(((Number) value).longValue()))
                    .min(Comparator.naturalOrder());
        });
    }

    private Optional<Queue> locate(String queue) {
        if (broker.getActiveMQServer() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(broker.getActiveMQServer().locateQueue(SimpleString.of(queue)));
    }

    /** Where the broker itself would dead-letter or expire messages; never used (see {@link #configuration}). */
    static final String BROKER_DEAD_LETTER_ADDRESS = "busbar.broker.dead-letter";
    static final String BROKER_EXPIRY_ADDRESS = "busbar.broker.expired";

    /** Journal files kept when the buffer is drained (10 MiB each, Artemis' default size). */
    static final int JOURNAL_MIN_FILES = 2;

    static Configuration configuration(Path dataDir, BusbarPlan plan) {
        Configuration config = new ConfigurationImpl()
                .setName("busbar")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                // NIO works everywhere; ASYNCIO would need libaio on the host
                .setJournalType(JournalType.NIO)
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .setNodeManagerLockDirectory(dataDir.toString())
                .setGlobalMaxSize(GLOBAL_MAX_SIZE_BYTES)
                // Artemis keeps every reclaimed journal file for reuse by default, so the journal
                // never shrinks below its high-water mark: after a backlog drained, buffer.max-disk
                // would still count it and ingest would stay paused. Shrink back to the minimum.
                .setJournalMinFiles(JOURNAL_MIN_FILES)
                .setJournalPoolFiles(JOURNAL_MIN_FILES)
                .setJMXManagementEnabled(false);
        try {
            config.addAcceptorConfiguration("in-vm", IN_VM_URL);
        } catch (Exception e) {
            throw new IllegalStateException("cannot configure the in-VM acceptor", e);
        }
        config.addAddressSetting("busbar.#", new AddressSettings()
                // retries happen in the delivery route (in order, with back-off); the broker must never
                // give a reading up to a dead-letter address on its own
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(0L)
                // No message ever reaches these two: there is no delivery-attempt limit (above) and
                // readings carry no expiry. Artemis warns at start for every queue without them
                // (AMQ222165/AMQ222166), so name them; Busbar's own dead letters are its busbar.dlq.* queues.
                .setDeadLetterAddress(SimpleString.of(BROKER_DEAD_LETTER_ADDRESS))
                .setExpiryAddress(SimpleString.of(BROKER_EXPIRY_ADDRESS))
                .setAutoCreateQueues(false)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false));
        CoreAddressConfiguration readings = new CoreAddressConfiguration()
                .setName(BufferLayout.READINGS_ADDRESS)
                .addRoutingType(RoutingType.MULTICAST);
        BufferTopology.targetQueues(plan).forEach(readings::addQueueConfiguration);
        config.addAddressConfiguration(readings);
        for (QueueConfiguration dlq : BufferTopology.deadLetterQueues(plan)) {
            config.addAddressConfiguration(new CoreAddressConfiguration()
                    .setName(dlq.getName().toString())
                    .addRoutingType(RoutingType.ANYCAST)
                    .addQueueConfiguration(dlq));
        }
        return config;
    }
}
