package io.busbar.bootstrap.federation;

import io.busbar.bootstrap.buffer.BufferQueues;
import io.busbar.bootstrap.buffer.EmbeddedBuffer;
import io.busbar.routes.BufferLayout;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.cluster.Bridge;

/**
 * At a site: the state of the link to the central as the site's own broker sees it, for the site's
 * health and for the reports it sends the central.
 */
public final class ForwardLink {

    private final BufferQueues queues;
    private final Clock clock;

    public ForwardLink(BufferQueues queues, Clock clock) {
        this.queues = queues;
        this.clock = clock;
    }

    /** Artemis' own isConnected() stays true while the bridge retries; its connection tells the truth. */
    public boolean up() {
        return bridge().filter(Bridge::isConnected).map(Bridge::getForwardingConnection)
                .map(connection -> !connection.isDestroyed()).orElse(false);
    }

    /** Reading batches waiting in the outbox. */
    public long backlogMessages() {
        return queues.messageCount(FederationLayout.OUTBOX_QUEUE);
    }

    /** How old the oldest reading waiting for the central is; zero when none waits. */
    public Duration oldestAge() {
        return queues.firstMessageTime(FederationLayout.OUTBOX_QUEUE, BufferLayout.OLDEST_PROPERTY)
                .map(oldest -> Duration.between(oldest, clock.instant())).filter(age -> !age.isNegative())
                .orElse(Duration.ZERO);
    }

    /** Batches the central confirmed since this Busbar started. */
    public Optional<Long> messagesForwarded() {
        return bridge().map(b -> b.getMetrics().getMessagesAcknowledged());
    }

    private Optional<Bridge> bridge() {
        return server().map(s -> s.getClusterManager().getBridges().get(FederationLayout.BRIDGE));
    }

    private Optional<ActiveMQServer> server() {
        return queues instanceof EmbeddedBuffer embedded ? Optional.ofNullable(embedded.broker().getActiveMQServer())
                : Optional.empty();
    }
}
