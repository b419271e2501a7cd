package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.Failback;
import io.busbar.redundancy.HealthCriteria;
import io.busbar.redundancy.HeartbeatCriterion;
import io.busbar.redundancy.PairStatus;
import io.busbar.redundancy.RedundancyMode;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.redundancy.RoleCriterion;
import io.busbar.routes.plan.BackfillPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redundancy against two real OPC UA servers: whatever happens to the servers, the readings made
 * durable hold every (meter, quantity, second) exactly once, in order.
 */
class SourcePairFailoverIT {

    private static final Duration STARTUP = Duration.ofSeconds(20);

    private static void awaitFlowing(PairHarness pair, ServerRole from, int readings) {
        await().atMost(STARTUP).until(() -> pair.deliveredBy(from).size() >= readings);
    }

    private static void awaitMoreSeconds(PairHarness pair, int seconds) {
        long last = pair.lastSecond();
        await().atMost(Duration.ofSeconds(seconds + 10L)).until(() -> pair.lastSecond() >= last + seconds);
    }

    @Test
    void primaryKilled_secondaryActiveWithin3s_noGapNoDuplicate() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults());
            awaitFlowing(pair, ServerRole.PRIMARY, 12);
            assertThat(serverGauge(pair, "busbar.redundancy.server.active", ServerRole.PRIMARY)).isEqualTo(1.0);
            assertThat(serverGauge(pair, "busbar.redundancy.server.active", ServerRole.SECONDARY)).isEqualTo(0.0);

            Instant killed = Instant.now();
            pair.primary.stop();
            await().atMost(Duration.ofSeconds(3)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            System.out.printf("failover: secondary active %d ms after the primary stopped%n",
                    Duration.between(killed, Instant.now()).toMillis());
            awaitMoreSeconds(pair, 3);

            pair.assertEachSecondExactlyOnce();
            assertThat(pair.deliveredBy(ServerRole.SECONDARY)).isNotEmpty();
            assertThat(runtime.state().lastSwitchover()).hasValueSatisfying(s -> assertThat(s.from()).contains(ServerRole.PRIMARY));
            // what the Prometheus alert rules in examples/monitoring read
            assertThat(serverGauge(pair, "busbar.redundancy.server.active", ServerRole.SECONDARY)).isEqualTo(1.0);
            assertThat(serverGauge(pair, "busbar.redundancy.server.active", ServerRole.PRIMARY)).isEqualTo(0.0);
            assertThat(serverGauge(pair, "busbar.redundancy.server.connected", ServerRole.PRIMARY)).isEqualTo(0.0);
            assertThat(serverGauge(pair, "busbar.redundancy.server.healthy", ServerRole.PRIMARY)).isEqualTo(0.0);
            assertThat(serverGauge(pair, "busbar.redundancy.server.healthy", ServerRole.SECONDARY)).isEqualTo(1.0);
            assertThat(serverGauge(pair, "busbar.redundancy.server.stale", ServerRole.SECONDARY)).isEqualTo(0.0);
        }
    }

    private static double serverGauge(PairHarness pair, String name, ServerRole server) {
        return pair.registry.find(name).tag("server", server.wireName()).gauge().value();
    }

    @Test
    void warmMode_primaryKilled_standbySubscriptionIsSwitchedOn_noGapNoDuplicate() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults().withMode(RedundancyMode.WARM));
            awaitFlowing(pair, ServerRole.PRIMARY, 12);

            pair.primary.stop();
            await().atMost(Duration.ofSeconds(3)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            await().atMost(Duration.ofSeconds(10)).until(() -> !pair.deliveredBy(ServerRole.SECONDARY).isEmpty());
            awaitMoreSeconds(pair, 3);

            pair.assertEachSecondExactlyOnce();
        }
    }

    @Test
    void coldMode_standbyConnectsOnlyAtFailover_noGapNoDuplicate() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults().withMode(RedundancyMode.COLD));
            awaitFlowing(pair, ServerRole.PRIMARY, 12);
            assertThat(runtime.state().secondary().connected()).as("cold standby not connected").isFalse();

            pair.primary.stop();
            await().atMost(Duration.ofSeconds(8)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            awaitMoreSeconds(pair, 3);

            pair.assertEachSecondExactlyOnce();
        }
    }

    @Test
    void serviceLevelDrop_switches_andFailbackAfterReturnsToPrimary() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults()
                    .withMinDwell(Duration.ofSeconds(1))
                    .withFailback(new Failback.After(Duration.ofSeconds(5))));
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.primary.setServiceLevel(150);
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            assertThat(runtime.state().primary().reason()).contains("150");
            awaitMoreSeconds(pair, 2);

            Instant restored = Instant.now();
            pair.primary.setServiceLevel(255);
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));
            assertThat(Duration.between(restored, Instant.now())).as("failback waits 5 s healthy").isGreaterThanOrEqualTo(Duration.ofMillis(4500));
            awaitMoreSeconds(pair, 2);

            pair.assertEachSecondExactlyOnce();
            assertThat(runtime.state().switchovers()).isEqualTo(3); // none→primary, →secondary, →primary
        }
    }

    @Test
    void serviceLevelDrop_withStickyFailback_staysOnSecondary() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults().withMinDwell(Duration.ofSeconds(1)));
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.primary.setServiceLevel(150);
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            pair.primary.setServiceLevel(255);

            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            pair.assertEachSecondExactlyOnce();
        }
    }

    @Test
    void serviceLevelFlapping_switchesAtMostOncePerMinDwell() {
        try (PairHarness pair = new PairHarness();
             var flapper = new Flapper(pair.primary, Duration.ofMillis(200))) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults());
            awaitFlowing(pair, ServerRole.PRIMARY, 8);
            long before = runtime.state().switchovers();

            Instant start = Instant.now();
            flapper.start();
            await().atMost(Duration.ofSeconds(12)).until(() -> Instant.now().isAfter(start.plusSeconds(10)));
            flapper.close();

            long switches = runtime.state().switchovers() - before;
            long allowed = 10 / RedundancyPolicy.DEFAULT_MIN_DWELL.toSeconds() + 1;
            assertThat(switches).as("switches during 10 s of flapping").isBetween(1L, allowed);
            awaitMoreSeconds(pair, 2);
            pair.assertEachSecondExactlyOnce();
        }
    }

    @Test
    void bothDownTenSeconds_thenSecondaryBack_outageIsBackfilledFromHistory() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults());
            awaitFlowing(pair, ServerRole.PRIMARY, 8);
            long lastBeforeOutage;

            pair.primary.stop();
            pair.secondary.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().status() == PairStatus.DOWN);
            assertThat(runtime.state().active()).isEmpty();
            lastBeforeOutage = pair.lastSecond();
            Instant down = Instant.now();
            await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(down.plusSeconds(10)));
            assertThat(pair.lastSecond()).as("nothing forwarded while both are down").isEqualTo(lastBeforeOutage);

            pair.secondary.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            awaitMoreSeconds(pair, 3);

            pair.assertEachSecondExactlyOnce();
            assertThat(pair.lastSecond() - lastBeforeOutage).isGreaterThanOrEqualTo(12);
            // health keeps the outage's round: a follow-up that found nothing new (the server's notice that
            // it lost the subscription while down asks for one) does not replace it
            assertThat(runtime.lastBackfill()).hasValueSatisfying(b -> {
                assertThat(b.server()).isEqualTo("secondary");
                assertThat(b.readings()).as("readings from history").isGreaterThanOrEqualTo(10L * PairHarness.METERS * 2);
                assertThat(b.problem()).isEmpty();
            });
            assertThat(pair.counter("busbar.backfill.readings")).as("readings from history")
                    .isGreaterThanOrEqualTo(10.0 * PairHarness.METERS * 2);
        }
    }

    @Test
    void primaryRestartedOnSamePort_valuesResumeAndGapIsFilled() {
        try (PairHarness pair = new PairHarness(SimulatedScadaServer.builder(), null)) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults());
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.primary.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().isEmpty());
            long lastBeforeRestart = pair.lastSecond();
            pair.primary.start();

            await().atMost(Duration.ofSeconds(15)).until(() -> pair.lastSecond() >= lastBeforeRestart + 4);
            pair.assertEachSecondExactlyOnce();
        }
    }

    @Test
    void bothDown_thenSecondaryWithoutHistoryBack_gapIsReportedAsAHoleNotHidden() {
        try (PairHarness pair = new PairHarness(SimulatedScadaServer.builder(),
                SimulatedScadaServer.builder().withHistory(false))) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults());
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.secondary.stop();
            pair.primary.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.state().active().isEmpty());
            Instant down = Instant.now();
            await().atMost(Duration.ofSeconds(10)).until(() -> Duration.between(down, Instant.now()).toSeconds() >= 4);
            pair.secondary.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.lastBackfill().isPresent());

            assertThat(runtime.lastBackfill().get().problem()).hasValueSatisfying(p -> assertThat(p).contains("no history"));
            assertThat(runtime.lastBackfill().get().nodesWithoutHistory()).isEqualTo(PairHarness.METERS * 2);
            // the hole is measured when each node's first value after it arrives
            await().atMost(Duration.ofSeconds(10)).until(() -> !runtime.holes().isEmpty());
            assertThat(pair.counter("busbar.backfill.unfilled.seconds")).isGreaterThanOrEqualTo(4.0);
            assertThat(runtime.holes()).singleElement().satisfies(hole -> {
                assertThat(hole.nodes()).isEqualTo(PairHarness.METERS * 2);
                assertThat(hole.server()).isEqualTo("secondary");
                assertThat(hole.length()).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
            });
        }
    }

    @Test
    void hotSecondaryWithoutHistory_seamIsFilledFromItsLiveStream_noHole() {
        try (PairHarness pair = new PairHarness(SimulatedScadaServer.builder(),
                SimulatedScadaServer.builder().withHistory(false))) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults());
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.primary.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> runtime.lastBackfill().isPresent());
            awaitMoreSeconds(pair, 3);

            pair.assertEachSecondExactlyOnce();
            assertThat(runtime.lastBackfill().get().nodesWithoutHistory()).isEqualTo(PairHarness.METERS * 2);
            assertThat(runtime.lastBackfill().get().unfilled()).isZero();
            assertThat(runtime.holes()).isEmpty();
        }
    }

    @Test
    void busbarRestarted_backfillsTheTimeItWasDown(@TempDir Path dir) {
        Optional<Path> watermarks = Optional.of(dir.resolve("watermarks/plant.json"));
        try (PairHarness pair = new PairHarness()) {
            pair.start(RedundancyPolicy.defaults(), BackfillPolicy.defaults(), watermarks);
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.stopBusbar();
            long lastBeforeStop = pair.lastSecond();
            Instant stopped = Instant.now();
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(stopped.plusSeconds(5)));
            pair.start(RedundancyPolicy.defaults(), BackfillPolicy.defaults(), watermarks);

            await().atMost(Duration.ofSeconds(15)).until(() -> pair.lastSecond() >= lastBeforeStop + 8);
            pair.assertEachSecondExactlyOnce();
        }
    }

    @Test
    void roleTagPairWithoutServiceLevel_switchesWhenTheRoleNodeFlips() {
        try (PairHarness pair = new PairHarness(SimulatedScadaServer.builder().roleActive(true),
                SimulatedScadaServer.builder().roleActive(false))) {
            HealthCriteria roleOnly = HealthCriteria.defaults().withServiceLevel(false)
                    .withRole(new RoleCriterion(SimulatedScadaServer.ROLE_NODE_ID, "true"));
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults().withCriteria(roleOnly)
                    .withMinDwell(Duration.ofSeconds(1)));
            awaitFlowing(pair, ServerRole.PRIMARY, 8);
            // the standby's role tag arrives with its own subscription, maybe after the primary's first values
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> runtime.state().secondary().reason().contains("is 'false', not 'true'"));

            pair.secondary.setRoleActive(true);
            pair.primary.setRoleActive(false);
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            awaitMoreSeconds(pair, 3);

            pair.assertEachSecondExactlyOnce();
            assertThat(pair.deliveredBy(ServerRole.SECONDARY)).isNotEmpty();
        }
    }

    @Test
    void frozenPrimary_heartbeatStale_switchesAndTheFrozenTimeIsBackfilled() {
        try (PairHarness pair = new PairHarness()) {
            HealthCriteria heartbeat = HealthCriteria.defaults()
                    .withHeartbeat(new HeartbeatCriterion(SimulatedScadaServer.HEARTBEAT_NODE_ID, Duration.ofSeconds(3)));
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults().withCriteria(heartbeat)
                    .withMinDwell(Duration.ofSeconds(1)));
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.primary.freeze();
            await().atMost(Duration.ofSeconds(8)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
            assertThat(runtime.state().lastSwitchover().orElseThrow().reason()).contains("heartbeat");
            awaitMoreSeconds(pair, 2);

            pair.assertEachSecondExactlyOnce();
        }
    }

    @Test
    void bufferFull_pausesIngest_andThePausedTimeIsBackfilledWhenThereIsRoom() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults());
            awaitFlowing(pair, ServerRole.PRIMARY, 8);

            pair.bufferFull.set(true);
            long lastBeforeFull = pair.lastSecond();
            Instant full = Instant.now();
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(full.plusSeconds(4)));
            assertThat(pair.refusals.get()).as("ingest kept trying").isPositive();
            assertThat(pair.lastSecond()).as("nothing made durable while full").isEqualTo(lastBeforeFull);

            pair.bufferFull.set(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.lastSecond() >= lastBeforeFull + 6);
            pair.assertEachSecondExactlyOnce();
            assertThat(pair.counter("busbar.source.buffer.failures")).isPositive();
        }
    }

    @Test
    void valueThatCannotBeMapped_isDeadLetteredWithItsReason_andTheStreamGoesOn() {
        try (PairHarness pair = new PairHarness()) {
            Register roleAsNumber = new Register(SimulatedScadaServer.ROLE_NODE_ID, "M9", "1-0:1.8.0", "kWh",
                    java.math.BigDecimal.ONE, java.math.BigDecimal.ZERO);
            pair.start(RedundancyPolicy.defaults(), BackfillPolicy.defaults(), Optional.empty(),
                    PairHarness.mapping(roleAsNumber));
            awaitFlowing(pair, ServerRole.PRIMARY, 12);

            await().atMost(Duration.ofSeconds(10)).until(() -> !pair.deadLetters().isEmpty());
            IngestBatch.SourceDeadLetter letter = pair.deadLetters().get(0);
            assertThat(letter.reason()).contains("Boolean").contains("not numeric");
            assertThat(letter.reading()).isFalse();
            assertThat(new String(letter.payload(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains(SimulatedScadaServer.ROLE_NODE_ID);
            assertThat(pair.counter("busbar.source.unmappable")).isPositive();
            awaitMoreSeconds(pair, 2);
            pair.assertEachSecondExactlyOnce();
        }
    }

    /** Toggles a server's ServiceLevel between healthy and degraded at a fixed period. */
    private static final class Flapper implements AutoCloseable {
        private final SimulatedScadaServer server;
        private final Duration period;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicBoolean healthy = new AtomicBoolean(true);

        Flapper(SimulatedScadaServer server, Duration period) {
            this.server = server;
            this.period = period;
        }

        void start() {
            timer.scheduleAtFixedRate(() -> server.setServiceLevel(healthy.getAndSet(!healthy.get()) ? 150 : 255),
                    0, period.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
            server.setServiceLevel(255);
        }
    }
}
