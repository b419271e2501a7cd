package io.busbar.connectors.opcua.simulator;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.powerNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One node's live path broken: its items get nothing new, its history and the other nodes go on. */
class DropLiveUpdatesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SimulatedScadaServer server = SimulatedScadaServer.builder().applicationName("drop")
            .meterCount(1).historyStart(Instant.now().minus(1, ChronoUnit.HOURS)).build();

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void droppedNode_getsNoLiveValues_whileHistoryHasEverySecond_andOtherNodesGoOn() throws Exception {
        server.start();
        try (MiloProbe probe = MiloProbe.connect(server)) {
            OpcUaMonitoredItem energy = probe.monitor(energyNodeId(1));
            OpcUaMonitoredItem power = probe.monitor(powerNodeId(1));
            await().atMost(TIMEOUT).until(() -> probe.values(power).size() >= 2);

            server.dropLiveUpdates(powerNodeId(1), true);
            Instant droppedAt = Instant.now();

            await().atMost(TIMEOUT).until(() -> isAfter(probe.newestGoodSourceTime(energy), droppedAt.plusSeconds(2)));
            assertThat(probe.newestGoodSourceTime(power).orElseThrow()).isBeforeOrEqualTo(droppedAt);
            Instant from = droppedAt.truncatedTo(ChronoUnit.SECONDS).minusSeconds(2);
            Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<Long> history = probe.historySeconds(probe.historyReadRaw(List.of(powerNodeId(1)), from, to).get(0));
            assertThat(history).containsExactlyElementsOf(
                    LongStream.range(from.getEpochSecond(), to.getEpochSecond()).boxed().toList());

            server.dropLiveUpdates(powerNodeId(1), false);
            Instant resumedAt = Instant.now();
            await().atMost(TIMEOUT).until(() -> isAfter(probe.newestGoodSourceTime(power), resumedAt));
        }
    }

    @Test
    void nodeIdThatIsNoMeterVariableIsRefusedNamingIt() {
        assertThatThrownBy(() -> server.dropLiveUpdates("ns=2;s=Meter001.Voltage", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ns=2;s=Meter001.Voltage");
    }

    private static boolean isAfter(Optional<Instant> time, Instant bound) {
        return time.isPresent() && time.get().isAfter(bound);
    }
}
