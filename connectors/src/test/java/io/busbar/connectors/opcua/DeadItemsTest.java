package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Monitored items on nodes that come and go, against a server that, like NETx, leaves the items of
 * a deleted node dead for good even after the node is back.
 */
class DeadItemsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final TestSources sources = new TestSources();
    private final ScriptedServer server = new ScriptedServer(0);
    private final SampleCollector collector = new SampleCollector();

    @AfterEach
    void stop() {
        sources.stopAll();
        server.close();
    }

    @Test
    void anItemTheServerRefusesIsDeadUntilItsNodeAppears() {
        String energy = server.addVariable("Energy", true);
        String later = ScriptedServer.nodeId("Later");
        OpcUaSource source = start(Duration.ofMillis(300));
        SourceSubscription subscription = source.subscribe(List.of(energy, later), collector);

        await().atMost(TIMEOUT).until(() -> subscription.deadItems() == 1 && !collector.samples(energy).isEmpty());
        assertThat(subscription.itemCount()).isEqualTo(2);
        assertThat(source.deadItems()).isEqualTo(1);
        assertThat(source.itemCount()).isEqualTo(2);

        server.addVariable("Later", false);

        await().atMost(TIMEOUT).until(() -> !collector.samples(later).isEmpty());
        assertThat(subscription.deadItems()).isZero();
    }

    @Test
    void anItemWhoseNodeIsDeletedIsCreatedAgainWhenTheNodeIsBack() {
        String energy = server.addVariable("Energy", true);
        OpcUaSource source = start(Duration.ofMillis(300));
        SourceSubscription subscription = source.subscribe(List.of(energy), collector);
        await().atMost(TIMEOUT).until(() -> !collector.samples(energy).isEmpty());

        server.deleteVariable("Energy");

        await().atMost(TIMEOUT).until(() -> subscription.deadItems() == 1);
        // the server's word about the node reaches the listener like any sample
        await().atMost(TIMEOUT).until(() -> collector.samples(energy).stream()
                .anyMatch(sample -> sample.statusCode() == StatusCodes.Bad_NodeIdUnknown));
        Instant back = Instant.now();
        server.addVariable("Energy", true);

        await().atMost(TIMEOUT).until(() -> goodSampleAfter(energy, back));
        assertThat(subscription.deadItems()).isZero();
        assertThat(server.itemsCreated("Energy")).isEqualTo(2);
    }

    @Test
    void recreateItemsRevivesADeadItemAtOnceWithoutWaitingForTheBackOff() {
        String energy = server.addVariable("Energy", true);
        // a back-off far beyond the test: only recreateItems can bring the item back
        OpcUaSource source = start(Duration.ofMinutes(10));
        SourceSubscription subscription = source.subscribe(List.of(energy), collector);
        await().atMost(TIMEOUT).until(() -> !collector.samples(energy).isEmpty());
        server.deleteVariable("Energy");
        // the gone item is replaced at once, and the server refuses the new one: now it waits for its back-off
        await().atMost(TIMEOUT).until(() -> Long.valueOf(StatusCodes.Bad_NodeIdUnknown)
                .equals(((MonitoredSubscription) subscription).refusal(energy)));
        Instant back = Instant.now();
        server.addVariable("Energy", true);
        assertThat(subscription.deadItems()).isEqualTo(1);
        assertThat(source.deadNodeIds()).containsExactly(energy);

        subscription.recreateItems(List.of(energy, ScriptedServer.nodeId("NotSubscribed")));

        await().atMost(Duration.ofSeconds(5)).until(() -> goodSampleAfter(energy, back));
        assertThat(subscription.deadItems()).isZero();
    }

    @Test
    void recreateItemsReplacesALiveItemToo() {
        String energy = server.addVariable("Energy", true);
        OpcUaSource source = start(Duration.ofMillis(300));
        SourceSubscription subscription = source.subscribe(List.of(energy), collector);
        await().atMost(TIMEOUT).until(() -> !collector.samples(energy).isEmpty());
        assertThat(server.itemsCreated("Energy")).isEqualTo(1);

        subscription.recreateItems(List.of(energy));

        await().atMost(TIMEOUT).until(() -> server.itemsCreated("Energy") == 2);
        Instant after = Instant.now();
        await().atMost(TIMEOUT).until(() -> goodSampleAfter(energy, after));
        assertThat(subscription.deadItems()).isZero();
    }

    private OpcUaSource start(Duration itemRetryInterval) {
        return sources.start(ServerRole.PRIMARY, TestSources.fastOptions(server.endpointUrl())
                .itemRetryInterval(itemRetryInterval)
                .maxItemRetryInterval(itemRetryInterval.multipliedBy(4))
                .build());
    }

    private boolean goodSampleAfter(String nodeId, Instant instant) {
        return collector.samples(nodeId).stream().anyMatch(sample -> sample.statusCode() == 0
                && sample.sourceTime() != null && sample.sourceTime().isAfter(instant));
    }
}
