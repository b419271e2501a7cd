package io.busbar.connectors.opcua.simulator;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer.NodeChurn;
import io.busbar.support.testing.Closing;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NETx-style servers: the meter nodes exist only while the server is the active one. What existing
 * monitored items see, observed with a plain Milo client.
 */
class NodeChurnTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final Closing closing = new Closing();

    @Test
    void itemsResume_standbyDeletesTheNodes_itemGetsNodeIdUnknown_thenTheNewNodesValuesWithoutClientAction()
            throws Exception {
        SimulatedScadaServer server = start(SimulatedScadaServer.builder().nodeChurn(NodeChurn.ITEMS_RESUME));
        try (MiloProbe probe = MiloProbe.connect(server)) {
            OpcUaMonitoredItem item = probe.monitor(energyNodeId(1));
            await().atMost(TIMEOUT).until(() -> probe.newestGoodSourceTime(item).isPresent());

            server.setRoleActive(false);

            await().atMost(TIMEOUT).until(() -> isNodeIdUnknown(probe.last(item)));
            System.out.println("Milo's notification for a deleted node: " + probe.last(item).orElseThrow());
            assertThat(probe.browseMeters()).isEmpty();
            assertThat(probe.read(energyNodeId(1)).statusCode().value()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);
            Instant now = Instant.now();
            assertThat(probe.historyReadRaw(List.of(energyNodeId(1)), now.minusSeconds(5), now).get(0)
                    .getStatusCode().value()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);

            Instant recreated = Instant.now();
            server.setRoleActive(true);

            await().atMost(TIMEOUT).until(() -> isAfter(probe.newestGoodSourceTime(item), recreated));
            assertThat(probe.browseMeters()).containsExactly("Meter001", "Meter002");
        }
    }

    @Test
    void itemsStayDead_oldItemKeepsNodeIdUnknownAfterReCreation_whileReadsAndANewItemSeeTheNewNodes()
            throws Exception {
        SimulatedScadaServer server = start(SimulatedScadaServer.builder().nodeChurn(NodeChurn.ITEMS_STAY_DEAD));
        try (MiloProbe probe = MiloProbe.connect(server)) {
            OpcUaMonitoredItem old = probe.monitor(energyNodeId(1));
            await().atMost(TIMEOUT).until(() -> probe.values(old).size() >= 2);

            server.setRoleActive(false);
            await().atMost(TIMEOUT).until(() -> isNodeIdUnknown(probe.last(old)));
            int deadValues = probe.values(old).size();
            Instant recreated = Instant.now();
            server.setRoleActive(true);

            assertThat(probe.read(energyNodeId(1)).statusCode().isGood()).as("a read sees the new node").isTrue();
            OpcUaMonitoredItem fresh = probe.monitor(energyNodeId(1));
            await().atMost(TIMEOUT).until(() -> isAfter(probe.newestGoodSourceTime(fresh), recreated.plusSeconds(1)));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> probe.values(old).size() == deadValues);
            assertThat(probe.last(old)).as("the old item's last word").matches(NodeChurnTest::isNodeIdUnknown);
            probe.delete(old);
        }
    }

    @Test
    void standbyAtStart_hasNoMeterNodes_untilActive_andMetersAddedMeanwhileAppearThen() throws Exception {
        SimulatedScadaServer server = start(
                SimulatedScadaServer.builder().nodeChurn(NodeChurn.ITEMS_RESUME).roleActive(false));
        try (MiloProbe probe = MiloProbe.connect(server)) {
            assertThat(probe.browseMeters()).isEmpty();
            assertThat(probe.read(energyNodeId(1)).statusCode().value()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);

            server.addMeters(1);
            assertThat(probe.browseMeters()).isEmpty();
            server.setRoleActive(true);

            assertThat(probe.browseMeters()).containsExactly("Meter001", "Meter002", "Meter003");
            DataValue value = probe.read(energyNodeId(3));
            assertThat(value.statusCode().isGood()).isTrue();
            assertThat(value.value().value()).isEqualTo(
                    SimulatedScadaServer.energyWh(3, value.sourceTime().getJavaInstant().getEpochSecond()));
        }
    }

    @Test
    void withoutChurn_standbyKeepsItsMeterNodes() throws Exception {
        SimulatedScadaServer server = start(SimulatedScadaServer.builder().roleActive(false));
        try (MiloProbe probe = MiloProbe.connect(server)) {
            assertThat(probe.browseMeters()).containsExactly("Meter001", "Meter002");
            assertThat(probe.read(energyNodeId(1)).statusCode().isGood()).isTrue();
        }
    }

    private SimulatedScadaServer start(SimulatedScadaServer.Builder builder) {
        SimulatedScadaServer started = closing.add(builder.applicationName("churn").meterCount(2)
                .historyStart(Instant.now().minus(1, ChronoUnit.HOURS)).build());
        started.start();
        return started;
    }

    private static boolean isNodeIdUnknown(Optional<DataValue> value) {
        return value.isPresent() && value.get().statusCode().value() == StatusCodes.Bad_NodeIdUnknown;
    }

    private static boolean isAfter(Optional<Instant> time, Instant bound) {
        return time.isPresent() && time.get().isAfter(bound);
    }
}
