package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyWh;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.powerKw;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.powerNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live values, history, reads and service level against a running simulated pair. */
class OpcUaSourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static SimulatedScadaServer primary;
    private static SimulatedScadaServer secondary;

    private final TestSources sources = new TestSources();

    @BeforeAll
    static void startPair() {
        Instant historyStart = Instant.now().minus(1, ChronoUnit.HOURS);
        primary = SimulatedScadaServer.builder()
                .applicationName("primary").meterCount(5).historyStart(historyStart).build();
        secondary = SimulatedScadaServer.builder()
                .applicationName("secondary").meterCount(5).historyStart(historyStart).build();
        primary.start();
        secondary.start();
    }

    @AfterAll
    static void stopPair() {
        primary.stop();
        secondary.stop();
    }

    @AfterEach
    void stopSources() {
        sources.stopAll();
    }

    @Test
    void bothServersDeliverIdenticalValuesForTheSameNodeAndSecond() {
        List<String> nodeIds = List.of(energyNodeId(1), powerNodeId(1), energyNodeId(3), powerNodeId(3));
        SampleCollector fromPrimary = new SampleCollector();
        SampleCollector fromSecondary = new SampleCollector();
        sources.start(ServerRole.PRIMARY, primary).subscribe(nodeIds, fromPrimary);
        sources.start(ServerRole.SECONDARY, secondary).subscribe(nodeIds, fromSecondary);

        await().atMost(TIMEOUT).until(() -> commonKeys(fromPrimary, fromSecondary).size() >= 3 * nodeIds.size());

        Map<String, RawSample> primarySamples = fromPrimary.byNodeAndSourceTime();
        Map<String, RawSample> secondarySamples = fromSecondary.byNodeAndSourceTime();
        for (String key : commonKeys(fromPrimary, fromSecondary)) {
            assertThat(secondarySamples.get(key).value()).as(key).isEqualTo(primarySamples.get(key).value());
        }
        assertThat(fromPrimary.roles()).containsOnly(ServerRole.PRIMARY);
        assertThat(fromSecondary.roles()).containsOnly(ServerRole.SECONDARY);
    }

    @Test
    void samplesAreTheRawFunctionValuesWithWholeSecondSourceTimesAndEnergyIncreases() {
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, primary);
        source.subscribe(List.of(energyNodeId(2), powerNodeId(2)), collector);

        await().atMost(TIMEOUT).until(() -> collector.samples(energyNodeId(2)).size() >= 3);

        for (RawSample sample : collector.samples()) {
            assertThat(sample.statusCode()).isZero();
            assertThat(sample.serverTime()).isNotNull();
            assertThat(sample.sourceTime().getNano()).isZero();
            long second = sample.sourceTime().getEpochSecond();
            double expected = sample.nodeId().equals(energyNodeId(2)) ? energyWh(2, second) : powerKw(2, second);
            assertThat(sample.value()).as(sample.toString()).isEqualTo(expected);
        }
        List<Double> energy = collector.samples(energyNodeId(2)).stream()
                .sorted(Comparator.comparing(RawSample::sourceTime))
                .map(sample -> (Double) sample.value())
                .toList();
        assertThat(energy).isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
        assertThat(source.lastValueAt()).isPresent();
    }

    @Test
    void historyReadRawReturnsOneValuePerSecondMatchingTheFunction() throws Exception {
        OpcUaSource source = sources.start(
                ServerRole.SECONDARY, TestSources.fastOptions(secondary.endpointUrl()).historyPageSize(2).build());
        await().atMost(TIMEOUT).until(() -> source.connectionState() == ConnectionState.CONNECTED);
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minusSeconds(5);

        List<RawSample> history = source.historyReadRaw(List.of(energyNodeId(4), powerNodeId(4)), from, to).get().samples();

        assertThat(history).hasSize(10);
        assertThat(history.subList(0, 5)).allMatch(sample -> sample.nodeId().equals(energyNodeId(4)));
        assertThat(history.subList(5, 10)).allMatch(sample -> sample.nodeId().equals(powerNodeId(4)));
        for (int i = 0; i < 5; i++) {
            long second = from.getEpochSecond() + i;
            assertThat(history.get(i).sourceTime()).isEqualTo(Instant.ofEpochSecond(second));
            assertThat(history.get(i).value()).isEqualTo(energyWh(4, second));
            assertThat(history.get(5 + i).sourceTime()).isEqualTo(Instant.ofEpochSecond(second));
            assertThat(history.get(5 + i).value()).isEqualTo(powerKw(4, second));
        }
    }

    @Test
    void serverWithoutHistoryIsReportedWithTheNodeAndStatus() throws Exception {
        SimulatedScadaServer noHistory =
                SimulatedScadaServer.builder().applicationName("no-history").meterCount(1).withHistory(false).build();
        try {
            noHistory.start();
            OpcUaSource source = sources.start(ServerRole.PRIMARY, noHistory);
            await().atMost(TIMEOUT).until(() -> source.connectionState() == ConnectionState.CONNECTED);
            Instant now = Instant.now();

            HistoryResult result = source.historyReadRaw(List.of(energyNodeId(1)), now.minusSeconds(10), now)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.samples()).isEmpty();
            assertThat(result.failedNodes())
                    .containsExactly(Map.entry(energyNodeId(1), StatusCodes.Bad_HistoryOperationUnsupported));
            assertThat(source.nodesWithoutHistory()).isEqualTo(result.failedNodes());
        } finally {
            sources.stopAll();
            noHistory.stop();
        }
    }

    @Test
    void serviceLevelSetOnTheServerIsSeenByTheClientAndItsListeners() {
        List<Integer> heard = new CopyOnWriteArrayList<>();
        OpcUaSource source = sources.start(ServerRole.SECONDARY, secondary);
        source.addServiceLevelListener((role, level) -> heard.add(level));
        await().atMost(TIMEOUT).until(() -> source.serviceLevel().equals(OptionalInt.of(255)));
        try {
            secondary.setServiceLevel(150);

            await().atMost(TIMEOUT).until(() -> source.serviceLevel().equals(OptionalInt.of(150)));
            assertThat(heard).endsWith(150);
        } finally {
            secondary.setServiceLevel(255);
        }
    }

    @Test
    void readReturnsTheCurrentValueWithItsSourceTime() throws Exception {
        OpcUaSource source = sources.start(ServerRole.PRIMARY, primary);
        await().atMost(TIMEOUT).until(() -> source.connectionState() == ConnectionState.CONNECTED);

        RawSample sample = source.read(energyNodeId(5)).get();

        assertThat(sample.nodeId()).isEqualTo(energyNodeId(5));
        assertThat(sample.value()).isEqualTo(energyWh(5, sample.sourceTime().getEpochSecond()));
    }

    @Test
    void requestsWhileNotConnectedFailFastNamingTheSource() {
        OpcUaSource source = new OpcUaSource(ServerRole.PRIMARY, TestSources.fastOptions(primary.endpointUrl()).build());

        assertThat(source.read(energyNodeId(1)))
                .failsWithin(Duration.ofMillis(100))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(SourceNotConnectedException.class)
                .withMessageContaining("PRIMARY " + primary.endpointUrl());
    }

    private static Set<String> commonKeys(SampleCollector a, SampleCollector b) {
        Set<String> keys = new HashSet<>(a.byNodeAndSourceTime().keySet());
        keys.retainAll(b.byNodeAndSourceTime().keySet());
        return keys;
    }
}
