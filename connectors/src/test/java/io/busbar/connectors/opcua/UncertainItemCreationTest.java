package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A CreateMonitoredItems that times out on the client may have created its items on the server
 * all the same (issue 12: two or three samples per node per publish after start-up reconnects).
 * Creating them again must not leave the first ones on the server.
 */
class UncertainItemCreationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int METERS = 20;

    private final TestSources sources = new TestSources();
    private final SimulatedScadaServer server = SimulatedScadaServer.builder()
            .applicationName("uncertain-items").meterCount(METERS).pushUpdates(true).build();

    @AfterEach
    void stopAll() {
        sources.stopAll();
        server.stop();
    }

    @Test
    void itemsCreatedAfterATimedOutCreationAreOnTheServerOnceAndDeliverOneSamplePerUpdate() {
        server.start();
        List<String> nodeIds = SimulatedScadaServer.nodeIds(METERS);
        OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(server.endpointUrl())
                .requestTimeout(Duration.ofMillis(1000)).build());
        // the source's own item: the server's ServiceLevel
        int serviceLevelItems = 1;
        await().atMost(TIMEOUT).until(server::monitoredItemCount, equalTo(serviceLevelItems));

        // the server creates the items but answers after the client has given up
        server.createItemsSlowly(Duration.ofMillis(1500));
        Queue<List<RawSample>> publishes = new ConcurrentLinkedQueue<>();
        source.subscribe(nodeIds, (role, batch) -> publishes.add(batch));
        await().atMost(TIMEOUT).until(() -> server.monitoredItemCount() >= serviceLevelItems + nodeIds.size());
        server.createItemsSlowly(Duration.ZERO);

        await().atMost(TIMEOUT).until(() -> publishes.stream().flatMap(List::stream)
                .map(RawSample::nodeId).distinct().count() == nodeIds.size());
        // long enough to cover the timed-out request and the creation that follows it
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT)
                .until(server::monitoredItemCount, equalTo(serviceLevelItems + nodeIds.size()));
        publishes.clear();
        // two updates of every node (one a second): each a single sample, never one per leaked item
        await().atMost(TIMEOUT).until(() -> publishes.stream().mapToInt(List::size).sum() >= 2 * nodeIds.size());

        assertThat(server.monitoredItemCount()).isEqualTo(serviceLevelItems + nodeIds.size());
        for (List<RawSample> publish : publishes) {
            Set<String> seen = new HashSet<>();
            assertThat(publish).allMatch(sample -> seen.add(sample.nodeId() + "@" + sample.sourceTime()));
        }
    }
}
