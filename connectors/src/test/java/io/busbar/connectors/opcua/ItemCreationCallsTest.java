package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A subscription of thousands of nodes is created in calls that a busy server answers within the request timeout. */
class ItemCreationCallsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int METERS = 1_250; // 2,500 nodes

    private final TestSources sources = new TestSources();
    private final SimulatedScadaServer server = SimulatedScadaServer.builder()
            .applicationName("item-creation-calls").meterCount(METERS).pushUpdates(true).build();

    @AfterEach
    void stopAll() {
        sources.stopAll();
        server.stop();
    }

    @Test
    void twoThousandFiveHundredNodes_areCreatedInCallsOfAtMostAThousand_andEveryNodeStreams() {
        server.start();
        List<String> nodeIds = SimulatedScadaServer.nodeIds(METERS);
        OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(server.endpointUrl()).build());
        Set<String> streamed = ConcurrentHashMap.newKeySet();

        source.subscribe(nodeIds, (role, batch) -> batch.forEach(sample -> streamed.add(sample.nodeId())));

        await().atMost(TIMEOUT).until(() -> streamed.size() == nodeIds.size());
        assertThat(server.largestItemCreationCall()).isEqualTo(MonitoredItems.FIRST_ITEMS_PER_CALL);
        assertThat(server.monitoredItemCount()).as("the nodes and the server's ServiceLevel, each once")
                .isEqualTo(nodeIds.size() + 1);
    }
}
