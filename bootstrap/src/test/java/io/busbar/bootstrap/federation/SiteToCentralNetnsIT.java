package io.busbar.bootstrap.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.deployment.BusbarProcess;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.bootstrap.support.Series;
import io.busbar.mappings.model.Reading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The link: the site in a network namespace of its own, joined to the central's by a
 * veth pair ({@link SiteNamespace}): 2 % of the packets lost each way, 150 ms one way (a
 * {@link WanLink} in front of the central; this kernel has no {@code netem}), then the link taken
 * down for {@link #CUT} — silently, as a failed uplink. The site Busbar and its simulated SCADA
 * pair are JVMs inside the site's namespace; the central runs in this JVM. Every (meter, quantity,
 * second) of the window must be at the central's idempotent file target exactly once, the
 * seconds of the cut included; and the site must
 * have accepted no connection: no TCP connection attempt reached it from outside (an nftables
 * counter on its veth), and its Busbar listens on loopback only.
 *
 * <p>Skips where namespaces cannot be made (not root, no iproute2/nftables); {@link SiteToCentralIT}
 * then runs the scenario over an in-JVM relay instead.
 */
class SiteToCentralNetnsIT {

    private static final String CENTRAL_HOST = "central.busbar.test";
    private static final int LOSS_PERCENT = 2;
    private static final long ONE_WAY_LATENCY_MS = 150;
    private static final Duration CUT = Duration.ofSeconds(60);
    /** Two JVMs starting at once beside this one on a busy 2-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(180);
    /** The bridge's reconnect back-off reaches 30 s during a minute's cut; then the backlog drains. */
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @RegisterExtension
    final InProcessBusbar central = new InProcessBusbar();

    @TempDir
    Path dir;

    @Test
    void lossyLatentLink_thenCutForAMinute_everyReadingOnceAtCentral_siteAcceptedNoConnection() throws Exception {
        Optional<String> unavailable = SiteNamespace.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "no network namespaces here (" + unavailable.orElse("") + ")");
        int listenPort = FreePorts.next();
        ConfigurableApplicationContext centralContext = central.start(ConfigFile.load(
                SiteToCentralIT.centralConfig(dir, listenPort)));
        Path received = dir.resolve("central/readings.jsonl");
        try (SiteNamespace site = SiteNamespace.create(CENTRAL_HOST, LOSS_PERCENT);
             WanLink wan = new WanLink(site.centralAddress(), "127.0.0.1", listenPort, ONE_WAY_LATENCY_MS);
             SitePairProcess scada = SitePairProcess.start(site.launcher(), FreePorts.next(), FreePorts.next(),
                     SiteToCentralIT.METERS, log("scada"));
             BusbarProcess busbar = BusbarProcess.start("site-north", SiteToCentralIT.siteConfig(dir,
                     scada.primaryEndpoint(), scada.secondaryEndpoint(), CENTRAL_HOST + ":" + wan.port()),
                     log("busbar"), site.launcher(), "--server.address=127.0.0.1")) {
            scada.awaitListening();
            await().atMost(STARTUP).pollInterval(Duration.ofSeconds(1))
                    .until(() -> SiteToCentralIT.distinctSeconds(ReadingsFile.read(received)) >= 5);
            assertThat(forward(site, busbar).path("connected").asBoolean()).isTrue();
            CentralReportWatch reports = new CentralReportWatch(new Http(SiteToCentralIT.port(centralContext)));
            reports.awaitFreshReportLinkUp();

            Instant cutAt = Instant.now();
            site.cut();
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !forward(site, busbar).path("connected").asBoolean(true));
            await().atMost(CUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Duration.between(cutAt, Instant.now()).compareTo(CUT) >= 0);
            JsonNode during = site.getJson(busbar.httpPort(), "/actuator/health/federation");
            assertThat(during.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(during.at("/details/forward/backlogMessages").asLong()).as("batches waiting at the site").isPositive();
            assertThat(during.at("/details/forward/oldestAgeSeconds").asLong()).isGreaterThanOrEqualTo(CUT.toSeconds() - 10);
            JsonNode lastHeard = reports.report();
            assertThat(lastHeard.path("stale").asBoolean()).as("the central's newest report after a minute's cut: " + lastHeard)
                    .isTrue();
            Instant restoredAt = Instant.now();
            site.restore();

            await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode now = forward(site, busbar);
                return CentralReportWatch.drained(now, "connected");
            });
            // the reports made during the cut arrive in order, before the first one of none
            reports.awaitBacklogReportedDrained(restoredAt);
            reports.assertOutageBacklogReported(cutAt, CUT);
            long lastSecond = Instant.now().getEpochSecond() - 3;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> SiteToCentralIT.everySeriesReaches(ReadingsFile.read(received), lastSecond));
            Duration caughtUp = Duration.between(restoredAt, Instant.now());

            List<Reading> readings = ReadingsFile.read(received);
            Series.assertEachSecondExactlyOnce(readings);
            Set<Long> seconds = readings.stream().map(r -> r.sourceTime().getEpochSecond()).collect(Collectors.toSet());
            for (long s = cutAt.getEpochSecond(); s < restoredAt.getEpochSecond(); s++) {
                assertThat(seconds).as("a second of the cut").contains(s);
            }
            assertThat(site.inboundConnectionAttempts()).as("TCP connection attempts from outside the site").isZero();
            assertThat(site.listening(busbar.pid())).as("where the site Busbar listens").isNotEmpty()
                    .allSatisfy(local -> assertThat(SiteNamespace.isLoopback(local)).as(local).isTrue());
            long lost = site.packetsLost();
            assertThat(lost).as("packets the link lost").isPositive();
            assertThat(wan.connections()).as("both bridges (readings, reports) reconnected after the cut")
                    .isGreaterThanOrEqualTo(4);
            JsonNode north = new Http(SiteToCentralIT.port(centralContext)).getJson("/actuator/health/federation")
                    .at("/details/sites/north");
            assertThat(north.path("connected").asBoolean()).isTrue();
            assertThat(north.path("writesRefused").asLong()).isZero();
            System.out.printf("site-to-central over a veth pair: %d readings exactly once, %d packets lost (%d %%),"
                            + " %d ms one way, cut %d s, caught up %d s after the link returned, %d bridge connections,"
                            + " %.1f bytes/reading site->central%n", readings.size(), lost, LOSS_PERCENT,
                    ONE_WAY_LATENCY_MS, CUT.toSeconds(), caughtUp.toSeconds(), wan.connections(),
                    (double) wan.upstreamBytes() / readings.size());
        }
    }

    private static JsonNode forward(SiteNamespace site, BusbarProcess busbar) {
        return site.getJson(busbar.httpPort(), "/actuator/health/federation").at("/details/forward");
    }

    /** Kept after the test (target/), where a failure is read. */
    private static Path log(String what) throws IOException {
        Path log = Path.of("target", "SiteToCentralNetnsIT-site-" + what + ".log");
        Files.deleteIfExists(log);
        return log;
    }
}
