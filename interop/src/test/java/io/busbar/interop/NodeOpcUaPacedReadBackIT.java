package io.busbar.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.DeliveryBacklog;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.SourcePairRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-back from a node-opcua server's history after Busbar was stopped, while the targets are
 * behind: against a server that historizes every node it waits for them after its first slice and
 * brings every (meter, quantity, second) once when they caught up; against one that, like most
 * SCADA servers, keeps no history of the instantaneous power it never waits (the power lives only in
 * the live stream held behind the read-back, which a wait could overflow) and the energy's gap is
 * read back whole though the targets stay behind. The targets' backlog is the test's lever; the
 * server, its history and Busbar's source engine are real.
 */
class NodeOpcUaPacedReadBackIT {

    private static final int METERS = 20;
    private static final String ENERGY = NodeOpcUaPairFailoverIT.ENERGY;
    private static final String POWER = NodeOpcUaPairFailoverIT.POWER;
    /** Longer than a read-back's first slice (10 s), so that there is history left to wait for. */
    private static final long STOPPED_SECONDS = 16;
    private static final long FIRST_SLICE_SECONDS = 10;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean behind = new AtomicBoolean();
    private final AtomicLong asked = new AtomicLong();
    private final DeliveryBacklog backlog = () -> {
        asked.incrementAndGet();
        return behind.get();
    };

    @Test
    void everyNodeHistorized_theReadBackWaitsWhileTheTargetsAreBehind_thenEverySecondArrivesOnce() {
        NodeInstall.Installed node = NodeInstall.require();
        RecordingSink sink = new RecordingSink();
        try (NodeMeterServer server = NodeMeterServer.start(node, ServerRole.PRIMARY, METERS, true)) {
            long lastBeforeStop = streamThenStop(server, sink);
            asked.set(0);
            behind.set(true);
            long restartedAt = Instant.now().getEpochSecond();
            try (SourcePairRuntime runtime = runtime(server, sink)) {
                runtime.start();
                await("the read-back asks whether the targets are behind").atMost(STARTUP)
                        .until(() -> asked.get() >= 10);
                int whileWaiting = sink.readings().size();
                await("nothing forwarded while the targets are behind").during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(5)).until(() -> sink.readings().size() == whileWaiting);
                assertThat(sink.lastSecond()).as("the newest second forwarded: no later than the first slice")
                        .isLessThanOrEqualTo(lastBeforeStop + FIRST_SLICE_SECONDS + 1)
                        .isLessThan(restartedAt);

                behind.set(false);
                long to = restartedAt + 3;
                awaitEverySeries(sink, to);

                StreamAudit audit = audit(sink, sink.firstCommonSecond(), to);
                System.out.println("node-opcua paced read-back counts: " + audit);
                assertThat(audit.duplicates()).as("duplicate keys; " + audit).isZero();
                assertThat(audit.wrongValues()).as("values unlike the server's; " + audit).isZero();
                assertThat(audit.quantity(ENERGY).lost()).as("energy lost; " + audit).isZero();
                assertThat(audit.quantity(POWER).lost()).as("power lost; " + audit).isZero();
                assertThat(waitedSeconds()).as("seconds the read-back waited").isPositive();
            }
        }
    }

    @Test
    void powerNotHistorized_theReadBackNeverWaits_andBringsTheEnergysGapWhileTheTargetsStayBehind() {
        NodeInstall.Installed node = NodeInstall.require();
        RecordingSink sink = new RecordingSink();
        try (NodeMeterServer server = NodeMeterServer.start(node, ServerRole.PRIMARY, METERS, false)) {
            streamThenStop(server, sink);
            asked.set(0);
            behind.set(true);
            long restartedAt = Instant.now().getEpochSecond();
            try (SourcePairRuntime runtime = runtime(server, sink)) {
                runtime.start();
                long to = restartedAt + 4;
                awaitEverySeries(sink, to);

                StreamAudit audit = audit(sink, sink.firstCommonSecond(), to);
                StreamAudit afterRestart = audit(sink, restartedAt + 2, to);
                System.out.println("node-opcua read-back without power history counts: " + audit);
                assertThat(audit.duplicates()).as("duplicate keys; " + audit).isZero();
                assertThat(audit.wrongValues()).as("values unlike the server's; " + audit).isZero();
                assertThat(audit.quantity(ENERGY).lost()).as("energy lost; " + audit).isZero();
                assertThat(audit.quantity(POWER).lost()).as("power of the stopped seconds, which no history has")
                        .isPositive();
                assertThat(afterRestart.quantity(POWER).lost()).as("power lost after the restart; " + afterRestart)
                        .isZero();
                assertThat(asked.get()).as("questions whether the targets are behind").isZero();
                assertThat(waitedSeconds()).isZero();
            }
        }
    }

    /**
     * Streams until every series has a few seconds, stops, and waits until the server has published
     * {@link #STOPPED_SECONDS} more.
     *
     * @return the newest second forwarded before the stop
     */
    private long streamThenStop(NodeMeterServer server, RecordingSink sink) {
        try (SourcePairRuntime runtime = runtime(server, sink)) {
            runtime.start();
            awaitEverySeries(sink, Instant.now().getEpochSecond() + 3);
        }
        long last = sink.lastSecond();
        await("the server publishes on while Busbar is stopped").atMost(Duration.ofSeconds(STOPPED_SECONDS + 10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().getEpochSecond() >= last + STOPPED_SECONDS);
        return last;
    }

    /** A pair of one server, its watermarks in the test's directory: a restart reads its gap back. */
    private SourcePairRuntime runtime(NodeMeterServer server, RecordingSink sink) {
        SourcePairPlan plan = new SourcePairPlan("interop",
                new ServerPlan(ServerRole.PRIMARY, NodeOpcUaPairFailoverIT.options(server)), Optional.empty(),
                RedundancyPolicy.defaults(), BackfillPolicy.defaults(), NodeOpcUaPairFailoverIT.mapping(server, METERS), List.of("out"));
        return new SourcePairRuntime(plan, sink::accept, registry, Clock.systemUTC(), Optional.of(dir.resolve("watermarks.json")),
                backlog);
    }

    private double waitedSeconds() {
        return registry.get("busbar.backfill.waited.seconds").counter().count();
    }

    private static StreamAudit audit(RecordingSink sink, long from, long to) {
        return StreamAudit.energyAndPower(sink.readings(), METERS, from, to);
    }

    private static void awaitEverySeries(RecordingSink sink, long second) {
        await("every meter's energy and power up to second " + second).atMost(STARTUP)
                .pollInterval(Duration.ofMillis(200)).until(() -> sink.everySeriesReached(METERS * 2, second));
    }
}
