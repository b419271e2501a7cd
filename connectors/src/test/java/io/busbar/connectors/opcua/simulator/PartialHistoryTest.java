package io.busbar.connectors.opcua.simulator;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.powerNodeId;
import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.support.testing.Closing;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server that historizes energy registers but not power, as real SCADA servers often do. */
class PartialHistoryTest {

    @RegisterExtension
    final Closing closing = new Closing();

    @Test
    void historyReadAnswersNodeByNode_powerUnsupported_energyOfTheSameRequestHasItsValues() throws Exception {
        SimulatedScadaServer server = start(
                SimulatedScadaServer.builder().historized(SimulatedScadaServer::isEnergyNode));
        try (MiloProbe probe = MiloProbe.connect(server)) {
            Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            List<HistoryReadResult> results = probe.historyReadRaw(
                    List.of(energyNodeId(1), powerNodeId(1), energyNodeId(2)), to.minusSeconds(5), to);

            assertThat(results).hasSize(3);
            assertThat(results.get(0).getStatusCode().isGood()).isTrue();
            assertThat(probe.historyValues(results.get(0))).hasSize(5)
                    .allSatisfy(value -> assertThat(value.value().value()).isEqualTo(
                            SimulatedScadaServer.energyWh(1, value.sourceTime().getJavaInstant().getEpochSecond())));
            assertThat(results.get(1).getStatusCode().value()).isEqualTo(StatusCodes.Bad_HistoryOperationUnsupported);
            assertThat(probe.historyValues(results.get(1))).isEmpty();
            assertThat(probe.historyValues(results.get(2))).hasSize(5);
        }
    }

    @Test
    void nodeWithoutHistoryHasNeitherHistoryReadAccessNorHistorizing() throws Exception {
        SimulatedScadaServer server = start(
                SimulatedScadaServer.builder().historized(SimulatedScadaServer::isEnergyNode));
        try (MiloProbe probe = MiloProbe.connect(server)) {
            assertThat(accessLevel(probe, powerNodeId(1))).doesNotContain(AccessLevel.HistoryRead);
            assertThat(historizing(probe, powerNodeId(1))).isFalse();
            assertThat(accessLevel(probe, energyNodeId(1))).contains(AccessLevel.HistoryRead);
            assertThat(historizing(probe, energyNodeId(1))).isTrue();
        }
    }

    @Test
    void withoutHistoryEveryNodeIsUnsupported_asBefore() throws Exception {
        SimulatedScadaServer server = start(SimulatedScadaServer.builder().withHistory(false));
        try (MiloProbe probe = MiloProbe.connect(server)) {
            Instant to = Instant.now();

            List<HistoryReadResult> results =
                    probe.historyReadRaw(List.of(energyNodeId(1), powerNodeId(1)), to.minusSeconds(5), to);

            assertThat(results).extracting(result -> result.getStatusCode().value())
                    .containsOnly(StatusCodes.Bad_HistoryOperationUnsupported);
            assertThat(historizing(probe, energyNodeId(1))).isFalse();
        }
    }

    private SimulatedScadaServer start(SimulatedScadaServer.Builder builder) {
        SimulatedScadaServer started = closing.add(builder.applicationName("partial-history").meterCount(2)
                .historyStart(Instant.now().minus(1, ChronoUnit.HOURS)).build());
        started.start();
        return started;
    }

    private static EnumSet<AccessLevel> accessLevel(MiloProbe probe, String nodeId) throws Exception {
        DataValue value = readAttribute(probe, nodeId, AttributeId.AccessLevel);
        return AccessLevel.fromValue((UByte) value.value().value());
    }

    private static boolean historizing(MiloProbe probe, String nodeId) throws Exception {
        return (Boolean) readAttribute(probe, nodeId, AttributeId.Historizing).value().value();
    }

    private static DataValue readAttribute(MiloProbe probe, String nodeId, AttributeId attribute) throws Exception {
        return probe.client().read(0.0, TimestampsToReturn.Neither,
                List.of(new ReadValueId(NodeId.parse(nodeId), attribute.uid(), null, QualifiedName.NULL_VALUE))).getResults()[0];
    }
}
