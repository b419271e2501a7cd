package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A source keeps delivering through what happens to its server, without anyone intervening. */
class OpcUaSourceRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TestSources sources = new TestSources();
    private final SimulatedScadaServer server =
            SimulatedScadaServer.builder().applicationName("recovery").meterCount(2).build();

    @AfterEach
    void stopAll() {
        sources.stopAll();
        server.stop();
    }

    @Test
    void serverStopIsNoticedWithinThreeSeconds() {
        server.start();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, server);
        await().atMost(TIMEOUT).until(() -> source.connectionState() == ConnectionState.CONNECTED);

        server.stop();

        await().atMost(Duration.ofSeconds(3)).until(() -> source.connectionState() != ConnectionState.CONNECTED);
        assertThat(source.serviceLevel()).isEmpty();
    }

    @Test
    void connectionListenersHearTheSessionGoAndComeBack_withTheStateAlreadySaying() {
        server.start();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, server);
        List<ConnectionState> heard = new CopyOnWriteArrayList<>();
        source.addConnectionListener(() -> heard.add(source.connectionState()));
        await().atMost(TIMEOUT).until(() -> source.connectionState() == ConnectionState.CONNECTED);
        int before = heard.size(); // the first session may have come before the listener

        server.stop();
        await().atMost(Duration.ofSeconds(3)).until(() -> heard.size() > before);
        assertThat(heard.get(before)).isEqualTo(ConnectionState.DISCONNECTED);

        server.start();
        await().atMost(TIMEOUT).until(() -> heard.get(heard.size() - 1) == ConnectionState.CONNECTED);
        assertThat(heard.subList(before, heard.size())).containsExactly(ConnectionState.DISCONNECTED, ConnectionState.CONNECTED);
    }

    @Test
    void silentServerIsNoticedWithinThreeSecondsAndDeliveryResumesWhenItAnswersAgain() throws IOException {
        server.start();
        try (SilenceableProxy proxy = new SilenceableProxy(SimulatedScadaServer.DEFAULT_HOSTNAME, server.port())) {
            String viaProxy = "opc.tcp://" + SimulatedScadaServer.DEFAULT_HOSTNAME + ":" + proxy.port()
                    + SimulatedScadaServer.ENDPOINT_PATH;
            SampleCollector collector = new SampleCollector();
            OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(viaProxy).build());
            source.subscribe(List.of(energyNodeId(1)), collector);
            await().atMost(TIMEOUT).until(() -> !collector.samples().isEmpty());

            proxy.fallSilent();

            // no socket closes: only the keep-alive (default settings) can notice
            await().atMost(Duration.ofSeconds(3)).until(() -> source.connectionState() != ConnectionState.CONNECTED);
            assertThat(source.serviceLevel()).isEmpty();

            proxy.speakAgain();
            Instant resumedAt = Instant.now();

            await().atMost(TIMEOUT).until(() -> collector.hasSampleAtOrAfter(energyNodeId(1), resumedAt));
            await().atMost(TIMEOUT).until(() -> source.serviceLevel().isPresent());
        }
    }

    @Test
    void samplesResumeAfterTheServerRestartsOnTheSamePort() {
        server.start();
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, server);
        source.subscribe(List.of(energyNodeId(1)), collector);
        await().atMost(TIMEOUT).until(() -> !collector.samples().isEmpty());

        server.stop();
        await().atMost(TIMEOUT).until(() -> source.connectionState() != ConnectionState.CONNECTED);
        Instant restartedAt = Instant.now();
        server.start();

        await().atMost(TIMEOUT).until(() -> collector.hasSampleAtOrAfter(energyNodeId(1), restartedAt));
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void nodeUnknownAtSubscribeTimeDeliversOnceTheServerHasIt() {
        server.start();
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, server);
        source.subscribe(List.of(energyNodeId(1), energyNodeId(3)), collector);
        // meter 1 delivering means the items were created: meter 3's was refused as unknown
        await().atMost(TIMEOUT).until(() -> !collector.samples(energyNodeId(1)).isEmpty());
        assertThat(collector.samples(energyNodeId(3))).isEmpty();

        server.addMeters(1);

        await().atMost(TIMEOUT).until(() -> !collector.samples(energyNodeId(3)).isEmpty());
    }

    @Test
    void serverDownAtStartIsNoErrorAndTheSourceConnectsWhenItComesUp() {
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.SECONDARY, server);
        source.subscribe(List.of(energyNodeId(2)), collector);
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTING);

        server.start();

        await().atMost(TIMEOUT).until(() -> !collector.samples(energyNodeId(2)).isEmpty());
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void frozenServerStaysConnectedWithoutNewValuesUntilUnfrozen() {
        server.start();
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, server);
        source.subscribe(List.of(energyNodeId(1)), collector);
        await().atMost(TIMEOUT).until(() -> !collector.samples().isEmpty());

        server.freeze();
        int frozenCount = collector.samples().size() + 1; // a publish may be in flight when freezing

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2))
                .until(() -> collector.samples().size() <= frozenCount);
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTED);

        server.unfreeze();
        await().atMost(TIMEOUT).until(() -> collector.samples().size() > frozenCount);
    }

    @Test
    void stopIsIdempotentAndLeavesTheSourceDisconnected() {
        server.start();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, server);
        await().atMost(TIMEOUT).until(() -> source.connectionState() == ConnectionState.CONNECTED);

        source.stop();
        source.stop();

        assertThat(source.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(source.serviceLevel()).isEmpty();
    }
}
