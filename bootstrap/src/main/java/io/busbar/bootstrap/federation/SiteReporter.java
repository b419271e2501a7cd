package io.busbar.bootstrap.federation;

import io.busbar.bootstrap.buffer.BufferQueues;
import io.busbar.bootstrap.buffer.EmbeddedBuffer;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.metrics.BuildInfoMetric;
import io.busbar.support.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * At a site ({@code forward:}): every {@link #INTERVAL}, and as soon as the link to the central
 * comes up, puts a {@link SiteReport} of the outbox's backlog into the report queue, which its own
 * bridge carries to the central. Reports made during an outage wait there in order, so once the
 * link is back the central hears how the backlog grew, then watches it drain. Does nothing elsewhere.
 */
@Component
public class SiteReporter implements DisposableBean {

    /** How often a site reports; a central calls a report stale after {@link SiteReports#STALE_AFTER_INTERVALS} of these. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);
    /** How often the link state is looked at, to report at once when it comes up. */
    static final Duration LINK_CHECK = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(SiteReporter.class);

    private final Optional<SiteLink> forward;
    private final ForwardLink link;
    private final OutboxReadings readings;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timer;
    private ServerLocator locator;
    private ClientSession session;
    private ClientProducer producer;
    private boolean wasUp;
    private long lastReportNanos;

    public SiteReporter(CompiledConfig config, BufferQueues queues, FederationBroker federation) {
        this.forward = config.federation().forward();
        this.link = new ForwardLink(queues, clock);
        this.readings = federation.outboxReadings();
        if (forward.isEmpty() || !(queues instanceof EmbeddedBuffer)) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-site-report"));
        timer.scheduleWithFixedDelay(this::tick, 0, LINK_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On the timer's thread only: it owns the session and the link state seen last. */
    private void tick() {
        try {
            boolean up = link.up();
            boolean due = System.nanoTime() - lastReportNanos >= INTERVAL.toNanos();
            if (due || (up && !wasUp)) {
                send(report(up));
                lastReportNanos = System.nanoTime();
            }
            wasUp = up;
        } catch (Exception e) {
            log.warn("Site '{}': could not queue a status report for the central: {}", forward.get().site(), e.toString());
            closeSession();
        }
    }

    private SiteReport report(boolean up) {
        long messages = link.backlogMessages();
        return new SiteReport(forward.get().site(), clock.instant(), up, messages, readings.readings(messages),
                link.oldestAge(), BuildInfoMetric.version());
    }

    private void send(SiteReport report) throws Exception {
        if (session == null) {
            locator = ActiveMQClient.createServerLocator(EmbeddedBuffer.IN_VM_URL);
            ClientSessionFactory factory = locator.createSessionFactory();
            session = factory.createSession();
            producer = session.createProducer(FederationLayout.REPORT_QUEUE);
        }
        // not durable: a report lost in a restart is replaced ten seconds later
        ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, false);
        message.getBodyBuffer().writeBytes(report.encode());
        producer.send(message);
    }

    private void closeSession() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (Exception e) {
            log.debug("closing the report session", e);
        }
        if (locator != null) {
            locator.close();
        }
        session = null;
        producer = null;
        locator = null;
    }

    @Override
    public void destroy() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            closeSession();
        }
    }
}
