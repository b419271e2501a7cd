package io.busbar.bootstrap.federation;

import io.busbar.routes.BufferLayout;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActivateCallback;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * At a site: how many readings wait in the outbox, counted as batches enter it and as the bridge
 * has them confirmed, so a report need not read a backlog of days back from the paging files.
 * Batches that were in the journal when the broker started are not counted (their readings are
 * unknown without reading them); until the last of them has left, {@link #readings} is empty.
 * The count is exact only as long as every batch entering and leaving is seen once; where it
 * disagrees with the queue the readings are reported as unknown, never as a guess.
 */
final class OutboxReadings implements ActiveMQServerMessagePlugin {

    private final Set<String> pairs;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    /** Message ids from here on were routed after the journal was loaded; the ones below it came from the journal. */
    private volatile long firstCountedId = Long.MAX_VALUE;

    /** @param pairs the pairs forwarded ({@link SiteLink#pairs}) */
    OutboxReadings(List<String> pairs) {
        this.pairs = Set.copyOf(pairs);
    }

    @Override
    public void registered(ActiveMQServer server) {
        server.registerActivateCallback(new ActivateCallback() {
            @Override
            public void activationComplete() {
                // the id generator continues above every id it handed out before the restart
                firstCountedId = server.getStorageManager().getCurrentID();
            }
        });
    }

    @Override
    public void afterMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates,
                                  RoutingStatus result) {
        // the outbox's filter (FederationLayout.outboxFilter), read in Java
        if (result == RoutingStatus.OK && BufferLayout.READINGS_ADDRESS.equals(message.getAddress())
                && message.getStringProperty(BufferLayout.REPLAY_TO_PROPERTY) == null
                && pairs.contains(message.getStringProperty(BufferLayout.PAIR_PROPERTY))) {
            messages.incrementAndGet();
            readings.addAndGet(count(message));
        }
    }

    @Override
    public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer) {
        if (ref.getMessageID() >= firstCountedId
                && FederationLayout.OUTBOX_QUEUE.equals(ref.getQueue().getName().toString())) {
            messages.decrementAndGet();
            readings.addAndGet(-count(ref.getMessage()));
        }
    }

    /**
     * The readings in the outbox when every batch in it ({@code outboxMessages}) was counted; empty
     * otherwise. An empty outbox sets the count back to zero: the count can drift (seen once across
     * a lossy link with reconnects, cause not established) and must not stay unknown for good.
     */
    synchronized OptionalLong readings(long outboxMessages) {
        if (outboxMessages == 0) {
            messages.set(0);
            readings.set(0);
            return OptionalLong.of(0);
        }
        long counted = messages.get();
        long value = readings.get();
        return counted == outboxMessages && value >= 0 ? OptionalLong.of(value) : OptionalLong.empty();
    }

    private static long count(Message message) {
        Object count = message.getObjectProperty(BufferLayout.COUNT_PROPERTY);
        return count instanceof Number number ? number.longValue() : 0;
    }
}
