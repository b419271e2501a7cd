package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.powerNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A simulator updating every 100 ms with pushed updates, as the bench's load servers run. */
class SimulatorFastUpdatesTest {

    private final TestSources sources = new TestSources();
    private SimulatedScadaServer server;

    @AfterEach
    void stop() {
        sources.stopAll();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void pushedUpdatesDeliverEverySlotWithItsValue() {
        server = SimulatedScadaServer.builder().meterCount(3).updateInterval(Duration.ofMillis(100))
                .pushUpdates(true).withHistory(false).build();
        server.start();
        SampleCollector collector = new SampleCollector();
        // sampling slower than the updates: pushed updates arrive all the same
        OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(server.endpointUrl())
                .samplingInterval(Duration.ofMillis(500)).publishingInterval(Duration.ofMillis(200)).build());
        source.subscribe(List.of(energyNodeId(2), powerNodeId(2)), collector);

        await().atMost(Duration.ofSeconds(20)).until(() -> collector.samples(powerNodeId(2)).size() >= 15);

        List<RawSample> power = collector.samples(powerNodeId(2)).stream()
                .sorted(Comparator.comparing(RawSample::sourceTime)).toList();
        for (RawSample sample : power) {
            long millis = sample.sourceTime().toEpochMilli();
            assertThat(millis % 100).isZero();
            assertThat(sample.value()).isEqualTo(SimulatedScadaServer.valueAtMillis(2, false, millis));
        }
        // one notification per update, not per sample: consecutive slots, except where a tick of a
        // busy machine came so late that the server skipped a slot
        long consecutive = 0;
        for (int i = 2; i < power.size(); i++) {
            if (power.get(i).sourceTime().toEpochMilli() - power.get(i - 1).sourceTime().toEpochMilli() == 100) {
                consecutive++;
            }
        }
        assertThat(consecutive).isGreaterThanOrEqualTo((long) (0.7 * (power.size() - 2)));
        assertThat(server.publishedUpdates()).isPositive();
    }
}
