package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code busbar run} with an endpoint URL that lacks the server's path: the source finds and uses the server's endpoint. */
class EndpointWithoutPathSourceTest {

    private final TestSources sources = new TestSources();
    private final SimulatedScadaServer server = SimulatedScadaServer.builder().meterCount(1).build();

    @AfterEach
    void stop() {
        sources.stopAll();
        server.stop();
    }

    @Test
    void sourceGivenTheUrlWithoutPath_connectsAndDelivers() {
        server.start();
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.PRIMARY,
                TestSources.fastOptions("opc.tcp://localhost:" + server.port()).build());
        source.subscribe(List.of(energyNodeId(1)), collector);

        await().atMost(Duration.ofSeconds(10)).until(() -> !collector.samples().isEmpty());
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
}
