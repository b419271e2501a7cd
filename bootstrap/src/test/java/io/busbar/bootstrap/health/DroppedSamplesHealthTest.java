package io.busbar.bootstrap.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.IngestBudget;
import io.busbar.routes.source.SourcePairRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pair whose loop cannot keep up with its server drops live values beyond its share of the ingest
 * budget; the health details and the status page show how many, so an operator sees ingest is behind
 * although nothing is lost (the dropped values are read back from history).
 */
class DroppedSamplesHealthTest {

    private static final int METERS = 2;

    private final SimulatedScadaServer server = SimulatedScadaServer.builder().port(0).meterCount(METERS)
            .updateInterval(Duration.ofMillis(100)).applicationName("dropping primary").build();
    /** Open once the test has seen the drop: until then the pair's loop waits in the buffer, as on a stalled journal. */
    private final CountDownLatch bufferOpen = new CountDownLatch(1);
    private final AtomicInteger durable = new AtomicInteger();
    private SourcePairRuntime runtime;

    @AfterEach
    void stop() {
        bufferOpen.countDown();
        if (runtime != null) {
            runtime.close();
        }
        server.stop();
    }

    @Test
    @SuppressWarnings("unchecked")
    void loopStalledBehindTheBuffer_dropsLiveValues_andHealthShowsTheCount() {
        server.start();
        // one publish of the four registers may wait for the loop; the next ones are dropped
        runtime = new SourcePairRuntime(plan(), ForwardingScope.standalone(), batch -> {
            bufferOpen.await();
            durable.addAndGet(batch.readings().size());
        }, new SimpleMeterRegistry(), Clock.systemUTC(), Optional.empty(), new IngestBudget(2 * METERS, 1_000));
        runtime.start();

        // connecting and subscribing took over 15 s on the shared 2-core machine: the bound is generous
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.droppedSamples() > 0);
        Map<String, Object> completeness = (Map<String, Object>) pairDetails().get("completeness");
        assertThat((Long) completeness.get("droppedSamples")).isPositive();
        assertThat(durable).hasValue(0);

        // the buffer takes batches again: the pair delivers, and health keeps the count since the start
        long dropped = runtime.droppedSamples();
        bufferOpen.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> durable.get() > 0);
        Map<String, Object> after = (Map<String, Object>) pairDetails().get("completeness");
        assertThat((Long) after.get("droppedSamples")).isGreaterThanOrEqualTo(dropped);
    }

    /** The pair's details as {@code /actuator/health/redundancy} shows them under {@code pairs}. */
    private Map<String, Object> pairDetails() {
        return PairStateView.of(runtime);
    }

    private SourcePairPlan plan() {
        List<Register> registers = new java.util.ArrayList<>();
        for (int meter = 1; meter <= METERS; meter++) {
            registers.add(new Register(SimulatedScadaServer.energyNodeId(meter), "M" + meter, "1-0:1.8.0", "kWh",
                    new BigDecimal("0.001"), BigDecimal.ZERO));
            registers.add(new Register(SimulatedScadaServer.powerNodeId(meter), "M" + meter, "1-0:1.7.0", "kW",
                    BigDecimal.ONE, BigDecimal.ZERO));
        }
        ServerPlan primary = new ServerPlan(ServerRole.PRIMARY, OpcUaSourceOptions.builder(server.endpointUrl())
                .publishingInterval(Duration.ofMillis(100)).samplingInterval(Duration.ofMillis(50))
                .retryDelay(Duration.ofMillis(200)).maxRetryDelay(Duration.ofSeconds(1)).build());
        return new SourcePairPlan("plant", primary, Optional.empty(), RedundancyPolicy.defaults(),
                BackfillPolicy.defaults(), new Mapping("plant", registers), List.of("out"));
    }
}
