package io.busbar.bootstrap.health;

import io.busbar.bootstrap.buffer.BufferQueues;
import io.busbar.bootstrap.buffer.EmbeddedBuffer;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.federation.CentralListener;
import io.busbar.bootstrap.federation.FederationBroker;
import io.busbar.bootstrap.federation.ForwardLink;
import io.busbar.bootstrap.federation.SiteIdentity;
import io.busbar.bootstrap.federation.SiteLink;
import io.busbar.bootstrap.federation.SiteReport;
import io.busbar.bootstrap.federation.SiteReports;
import io.busbar.bootstrap.federation.SiteTraffic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/federation}, site-to-central. At a site ({@code forward:}): the link to
 * the central (connected or not), the backlog waiting in the site's journal and the age of its
 * oldest reading; DEGRADED while the link is down (nothing is lost, the journal holds it). At the
 * central ({@code central:}): per site whether it is connected, its last reading, readings/s over
 * the last 10 s, writes refused, and the site's newest status report (its backlog and oldest age as
 * the site sees them, how old the report is, stale after three report intervals; the largest
 * backlog it reported in the last hour). UP with a note where neither is configured: the overall status
 * orders UNKNOWN above UP, so anything else would keep every plain Busbar from being UP. The same
 * figures are gauges.
 */
@Component("federationHealthIndicator")
public class FederationHealthIndicator implements HealthIndicator {

    private final Optional<SiteLink> forward;
    private final Optional<CentralListener> central;
    private final BufferQueues queues;
    private final ForwardLink link;
    private final SiteTraffic traffic;
    private final SiteReports reports;
    private final Clock clock = Clock.systemUTC();

    public FederationHealthIndicator(CompiledConfig config, BufferQueues queues, FederationBroker federation,
                                     MeterRegistry registry) {
        this.forward = config.federation().forward();
        this.central = config.federation().central();
        this.queues = queues;
        this.link = new ForwardLink(queues, clock);
        this.traffic = federation.traffic();
        this.reports = federation.reports();
        forward.ifPresent(l -> {
            Gauge.builder("busbar.forward.connected", () -> link.up() ? 1 : 0)
                    .description("1 while the link to the central is up").register(registry);
            Gauge.builder("busbar.forward.backlog.messages", link::backlogMessages)
                    .description("Reading batches waiting at the site for the central").register(registry);
            Gauge.builder("busbar.forward.oldest.age.seconds", () -> link.oldestAge().toMillis() / 1000.0)
                    .description("Age of the oldest reading waiting for the central").register(registry);
        });
        central.ifPresent(listener -> listener.sites().forEach(site -> {
            Gauge.builder("busbar.site.connected", () -> connected(site.id()) ? 1 : 0)
                    .description("1 while the site's link is up").tag("site", site.id()).register(registry);
            FunctionCounter.builder("busbar.site.readings.received", traffic, t -> t.readings(site.id()))
                    .description("Readings received from the site").tag("site", site.id()).register(registry);
            FunctionCounter.builder("busbar.site.writes.refused", traffic, t -> t.refusedWrites(site.id()))
                    .description("Sends refused: a pair that is not the site's").tag("site", site.id()).register(registry);
            Gauge.builder("busbar.site.last.reading.age.seconds", () -> traffic.lastReading(site.id())
                            .map(last -> Duration.between(last, clock.instant()).toMillis() / 1000.0).orElse(-1.0))
                    .description("Seconds since the site's last reading; -1 before the first").tag("site", site.id())
                    .register(registry);
            SiteReportMetrics.register(registry, reports, site.id());
        }));
    }

    @Override
    public Health health() {
        if (forward.isEmpty() && central.isEmpty()) {
            return Health.up().withDetail("configured", false)
                    .withDetail("reason", "neither forward: nor central: is configured").build();
        }
        Status status = Status.UP;
        Health.Builder health = Health.up();
        if (forward.isPresent()) {
            boolean connected = link.up();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("site", forward.get().site());
            details.put("central", forward.get().host() + ":" + forward.get().port());
            details.put("connected", connected);
            details.put("backlogMessages", link.backlogMessages());
            details.put("oldestAgeSeconds", link.oldestAge().toSeconds());
            link.messagesForwarded().ifPresent(n -> details.put("messagesForwarded", n));
            health.withDetail("forward", details);
            if (!connected) {
                status = RedundancyHealthIndicator.DEGRADED;
            }
        }
        if (central.isPresent()) {
            Map<String, Object> sites = new LinkedHashMap<>();
            for (SiteIdentity site : central.get().sites()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("connected", connected(site.id()));
                s.put("lastReading", traffic.lastReading(site.id()).map(Instant::toString).orElse(null));
                s.put("readingsPerSecond", Math.round(traffic.readingsPerSecond(site.id()) * 10) / 10.0);
                s.put("readingsReceived", traffic.readings(site.id()));
                s.put("writesRefused", traffic.refusedWrites(site.id()));
                s.put("report", reports.newest(site.id()).map(this::report).orElse(null));
                s.put("largestBacklogLastHour", reports.largestBacklog(site.id()).map(this::backlog).orElse(null));
                s.put("reportsMalformed", reports.malformed(site.id()));
                s.put("pairs", site.pairs());
                sites.put(site.id(), s);
            }
            health.withDetail("sites", sites);
        }
        return health.status(status).build();
    }

    /** A site's newest report as the central shows it: the site's figures, and how old they are here. */
    private Map<String, Object> report(SiteReports.Received received) {
        Instant now = clock.instant();
        SiteReport report = received.report();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("receivedAt", received.receivedAt().toString());
        r.put("ageSeconds", received.age(now).toSeconds());
        r.put("stale", received.stale(now));
        r.put("reportedAt", report.reportedAt().toString());
        r.put("linkUp", report.linkUp());
        r.put("backlogMessages", report.backlogMessages());
        r.put("backlogReadings", report.backlogReadings().isPresent() ? report.backlogReadings().getAsLong() : null);
        r.put("oldestAgeSeconds", report.oldestAge().toSeconds());
        r.put("busbarVersion", report.busbarVersion());
        return r;
    }

    /** The backlog figures of a report and when the site made it. */
    private Map<String, Object> backlog(SiteReports.Received received) {
        SiteReport report = received.report();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reportedAt", report.reportedAt().toString());
        r.put("backlogMessages", report.backlogMessages());
        r.put("backlogReadings", report.backlogReadings().isPresent() ? report.backlogReadings().getAsLong() : null);
        r.put("oldestAgeSeconds", report.oldestAge().toSeconds());
        return r;
    }

    private Optional<ActiveMQServer> server() {
        return queues instanceof EmbeddedBuffer embedded ? Optional.ofNullable(embedded.broker().getActiveMQServer())
                : Optional.empty();
    }

    private boolean connected(String site) {
        String user = "site:" + site;
        return server().map(s -> s.getSessions().stream().anyMatch(session -> user.equals(session.getValidatedUser())))
                .orElse(false);
    }
}
