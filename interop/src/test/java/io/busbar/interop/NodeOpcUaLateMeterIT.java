package io.busbar.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.SourcePairRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A meter that comes online long after Busbar's stream started, on a node-opcua server: the server
 * creates the meter's nodes at runtime (Busbar's monitored items for them were dead until then) and
 * sets one of its first seconds late — in history, never seen by a subscription — before Busbar
 * can know the meter's cadence from its values. Every (meter, quantity, second) from the new
 * meter's first second on arrives once with the server's values: the late one read back from history.
 */
class NodeOpcUaLateMeterIT {

    /** Meters 1 and 2 exist from the start; meter 3 is in the mapping but comes online later. */
    private static final int METERS = 3;
    private static final int LATE_METER = 3;
    /** Longer than the stream start's hold waits for a node's cadence (10 s) after its history sample. */
    private static final long SETTLED_SECONDS = 15;
    /** Seconds audited after the new meter's first: past the late one, its read-back and the hold. */
    private static final long AUDITED_SECONDS = 12;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aMeterComingOnlineLater_aSecondSetLateInItsFirstSecondsIsReadBack_everySecondOnce() {
        NodeInstall.Installed node = NodeInstall.require();
        RecordingSink sink = new RecordingSink();
        try (NodeMeterServer server = NodeMeterServer.start(node, ServerRole.PRIMARY, METERS - 1, true);
             SourcePairRuntime runtime = runtime(server, sink)) {
            runtime.start();
            await("the first reading").atMost(STARTUP).until(() -> sink.lastSecond() > 0);
            long started = sink.lastSecond();
            await("the stream's start settled").atMost(Duration.ofSeconds(SETTLED_SECONDS + 10))
                    .pollInterval(Duration.ofMillis(200)).until(() -> sink.lastSecond() >= started + SETTLED_SECONDS);
            double roundsBefore = backfillRounds();

            server.addMeter(LATE_METER);
            await("the new meter's first reading").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> firstSecondOf(sink, LATE_METER).isPresent());
            server.setLate(LATE_METER);
            long first = firstSecondOf(sink, LATE_METER).orElseThrow();
            long to = first + AUDITED_SECONDS;
            await("every series up to second " + to).atMost(Duration.ofSeconds(AUDITED_SECONDS + 30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> sink.everySeriesReached(METERS * 2, to));

            StreamAudit audit = StreamAudit.energyAndPower(sink.readings(), METERS, first, to);
            System.out.println("node-opcua late meter counts: " + audit);
            assertThat(audit.duplicates()).as("duplicate keys; " + audit).isZero();
            assertThat(audit.wrongValues()).as("values unlike the server's; " + audit).isZero();
            assertThat(audit.quantity(NodeOpcUaPairFailoverIT.ENERGY).lost()).as("energy lost; " + audit).isZero();
            assertThat(audit.quantity(NodeOpcUaPairFailoverIT.POWER).lost()).as("power lost; " + audit).isZero();
            assertThat(backfillRounds() - roundsBefore).as("read-backs from history after the meter came online")
                    .isPositive();
        }
    }

    private SourcePairRuntime runtime(NodeMeterServer server, RecordingSink sink) {
        SourcePairPlan plan = new SourcePairPlan("interop",
                new ServerPlan(ServerRole.PRIMARY, NodeOpcUaPairFailoverIT.optionsBuilder(server)
                        // the new meter's dead items are tried again soon, not after the default 30 s
                        .itemRetryInterval(Duration.ofMillis(500)).maxItemRetryInterval(Duration.ofSeconds(1)).build()),
                Optional.empty(), RedundancyPolicy.defaults(), BackfillPolicy.defaults(),
                NodeOpcUaPairFailoverIT.mapping(server, METERS), List.of("out"));
        return new SourcePairRuntime(plan, sink::accept, registry, Clock.systemUTC(), Optional.empty());
    }

    private double backfillRounds() {
        return registry.find("busbar.backfill.rounds").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static Optional<Long> firstSecondOf(RecordingSink sink, int meter) {
        String id = NodeMeterServer.meterId(meter);
        return sink.readings().stream().filter(r -> r.meter().equals(id))
                .map(r -> r.sourceTime().getEpochSecond()).min(Long::compare);
    }
}
