package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.support.testing.CapturedLogs;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * History read node by node against a server that behaves like real ones: some nodes without
 * history, an operation limit, transient refusals.
 */
class HistoryPerNodeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final TestSources sources = new TestSources();
    private final List<ScriptedServer> servers = new ArrayList<>();
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(NodesWithoutHistory.class);
    private final Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Instant from = to.minusSeconds(4);

    @AfterEach
    void stop() {
        sources.stopAll();
        servers.forEach(ScriptedServer::close);
    }

    @Test
    void nodesWithHistoryAreReadWhateverTheServerAnswersForTheOthers() throws Exception {
        ScriptedServer server = server(0);
        String energy1 = server.addVariable("Energy1", true);
        String power1 = server.addVariable("Power1", false);
        String energy2 = server.addVariable("Energy2", true);
        String missing = ScriptedServer.nodeId("Missing");
        OpcUaSource source = connect(server, 1000);

        HistoryResult result = source.historyReadRaw(List.of(energy1, power1, energy2, missing), from, to)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.samples()).extracting(RawSample::nodeId)
                .containsExactly(energy1, energy1, energy1, energy1, energy2, energy2, energy2, energy2);
        assertThat(result.samples().subList(0, 4)).extracting(RawSample::sourceTime)
                .containsExactly(from, from.plusSeconds(1), from.plusSeconds(2), from.plusSeconds(3));
        assertThat(result.failedNodes()).containsExactly(
                Map.entry(power1, StatusCodes.Bad_HistoryOperationUnsupported),
                Map.entry(missing, StatusCodes.Bad_NodeIdUnknown));
        assertThat(source.nodesWithoutHistory()).isEqualTo(result.failedNodes());
    }

    @Test
    void nodesWithoutHistoryAreLoggedOnceInOneShortLine() throws Exception {
        ScriptedServer server = server(0);
        List<String> power = IntStream.rangeClosed(1, 200)
                .mapToObj(meter -> server.addVariable("Meter%03d.Power".formatted(meter), false)).toList();
        String energy = server.addVariable("Meter001.Energy", true);
        List<String> all = new ArrayList<>(power);
        all.add(energy);
        OpcUaSource source = connect(server, 1000);

        HistoryResult first = source.historyReadRaw(all, from, to).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        HistoryResult second = source.historyReadRaw(all, from.minusSeconds(4), from).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(first.samples()).hasSize(4);
        assertThat(second.samples()).hasSize(4);
        assertThat(second.failedNodes()).hasSize(200);
        List<String> lines = logs.messages(null);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .contains("200 node(s) have no history (Bad_HistoryOperationUnsupported)")
                .contains(power.get(0) + ", " + power.get(1))
                .endsWith(power.get(4) + " and 195 more")
                .hasSizeLessThan(300);
        assertThat(source.nodesWithoutHistory()).hasSize(200).containsKeys(power.get(0), power.get(199));
    }

    @Test
    void requestsCarryNoMoreNodesThanTheServerAllowsAndFollowContinuationPoints() throws Exception {
        ScriptedServer server = server(2);
        List<String> energy = IntStream.rangeClosed(1, 5)
                .mapToObj(meter -> server.addVariable("Energy" + meter, true)).toList();
        OpcUaSource source = connect(server, 3);

        HistoryResult result = source.historyReadRaw(energy, from, to).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.failedNodes()).isEmpty();
        assertThat(result.samples()).hasSize(5 * 4);
        for (int meter = 0; meter < 5; meter++) {
            String nodeId = energy.get(meter);
            assertThat(result.samples().subList(meter * 4, meter * 4 + 4))
                    .allMatch(sample -> sample.nodeId().equals(nodeId))
                    .extracting(RawSample::value)
                    .containsExactly(seconds(from, 4));
        }
        assertThat(server.largestHistoryRead()).isEqualTo(2);
        // 3 groups (2 + 2 + 1 nodes), 2 pages each (3 + 1 values)
        assertThat(server.historyReads()).isEqualTo(6);
    }

    @Test
    void theFirstValuesOfEachNode_onePageEach_continuationPointsReleased() throws Exception {
        ScriptedServer server = server(2);
        List<String> energy = IntStream.rangeClosed(1, 5)
                .mapToObj(meter -> server.addVariable("Energy" + meter, true)).toList();
        OpcUaSource source = connect(server, 1000);

        HistoryResult result = source.historyReadFirst(energy, from, to, 3).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.failedNodes()).isEmpty();
        assertThat(result.samples()).hasSize(5 * 3);
        assertThat(result.samples().subList(0, 3)).extracting(RawSample::value).containsExactly(seconds(from, 3));
        assertThat(server.historyReads()).as("one request per group of 2, no second page").isEqualTo(3);
        await().atMost(TIMEOUT).until(() -> server.continuationPointReleases() == 3);
    }

    @Test
    void aLongGapOfManyNodesComesInResponsesTheClientCanTake() throws Exception {
        // 200 nodes x 900 values at the default page of 1,000 per node was one ~5 MB response: over
        // the client's 2 MB message limit, the server could not send it and the whole read failed
        ScriptedServer server = server(0);
        List<String> energy = IntStream.rangeClosed(1, 200)
                .mapToObj(meter -> server.addVariable("Meter%03d.Energy".formatted(meter), true)).toList();
        OpcUaSource source = connect(server, OpcUaSourceOptions.DEFAULT_HISTORY_PAGE_SIZE);
        Instant longAgo = to.minusSeconds(900);

        HistoryResult result = source.historyReadRaw(energy, longAgo, to).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.failedNodes()).isEmpty();
        assertThat(result.samples()).hasSize(200 * 900);
        assertThat(result.samples().subList(0, 900)).extracting(RawSample::value)
                .containsExactly(seconds(longAgo, 900));
        int page = HistoryReader.valuesPerNode(OpcUaSourceOptions.DEFAULT_HISTORY_PAGE_SIZE, 200);
        assertThat(server.historyReads()).as("pages of %d values per node", page).isEqualTo((900 + page - 1) / page);
    }

    @Test
    void aTransientServiceFailureIsRetried() throws Exception {
        ScriptedServer server = server(0);
        String energy = server.addVariable("Energy", true);
        OpcUaSource source = connect(server, 1000);
        server.failHistoryReads(2, StatusCodes.Bad_TooManyOperations);

        HistoryResult result = source.historyReadRaw(List.of(energy), from, to).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.samples()).extracting(RawSample::value).containsExactly(seconds(from, 4));
        assertThat(server.historyReads()).isEqualTo(3);
    }

    @Test
    void aServiceFailureThatOutlastsTheRetriesFailsTheRead() {
        ScriptedServer server = server(0);
        String energy = server.addVariable("Energy", true);
        OpcUaSource source = connect(server, 1000);
        server.failHistoryReads(HistoryReader.MAX_ATTEMPTS, StatusCodes.Bad_ResourceUnavailable);

        assertThat(source.historyReadRaw(List.of(energy), from, to))
                .failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(HistoryUnavailableException.class)
                .withMessageContaining("Bad_ResourceUnavailable")
                .withMessageContaining(server.endpointUrl());
        assertThat(server.historyReads()).isEqualTo(HistoryReader.MAX_ATTEMPTS);
    }

    @Test
    void aServiceFailureThatIsNotTransientFailsAtOnce() {
        ScriptedServer server = server(0);
        String energy = server.addVariable("Energy", true);
        OpcUaSource source = connect(server, 1000);
        server.failHistoryReads(1, StatusCodes.Bad_UserAccessDenied);

        assertThat(source.historyReadRaw(List.of(energy), from, to))
                .failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(HistoryUnavailableException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(StatusCodes.Bad_UserAccessDenied));
        assertThat(server.historyReads()).isEqualTo(1);
    }

    @Test
    void aTransientFailureOfOneNodeIsRetriedForThatNodeAlone() throws Exception {
        ScriptedServer server = server(0);
        String energy1 = server.addVariable("Energy1", true);
        String energy2 = server.addVariable("Energy2", true);
        OpcUaSource source = connect(server, 1000);
        server.failNodeHistory("Energy1", 1, StatusCodes.Bad_Timeout);

        HistoryResult result = source.historyReadRaw(List.of(energy1, energy2), from, to).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.failedNodes()).isEmpty();
        assertThat(result.samples()).extracting(RawSample::nodeId)
                .containsExactly(energy1, energy1, energy1, energy1, energy2, energy2, energy2, energy2);
        assertThat(server.historyReads()).isEqualTo(2);
        assertThat(server.largestHistoryRead()).isEqualTo(2);
    }

    @Test
    void aNodeThatLosesItsContinuationPointIsReadAgainFromTheStartWithoutDuplicates() throws Exception {
        ScriptedServer server = server(0);
        String energy = server.addVariable("Energy", true);
        OpcUaSource source = connect(server, 3);
        server.failNodeHistory("Energy", 1, 1, StatusCodes.Bad_ContinuationPointInvalid);

        HistoryResult result = source.historyReadRaw(List.of(energy), from.minusSeconds(2), to).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.samples()).extracting(RawSample::value).containsExactly(seconds(from.minusSeconds(2), 6));
    }

    @Test
    void aNodeThatKeepsFailingTransientlyIsReportedButNotRememberedAsWithoutHistory() throws Exception {
        ScriptedServer server = server(0);
        String energy1 = server.addVariable("Energy1", true);
        String energy2 = server.addVariable("Energy2", true);
        OpcUaSource source = connect(server, 1000);
        server.failNodeHistory("Energy1", HistoryReader.MAX_ATTEMPTS, StatusCodes.Bad_TooManyOperations);

        HistoryResult result = source.historyReadRaw(List.of(energy1, energy2), from, to).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.failedNodes()).containsExactly(Map.entry(energy1, StatusCodes.Bad_TooManyOperations));
        assertThat(result.samples()).extracting(RawSample::nodeId).containsOnly(energy2).hasSize(4);
        assertThat(source.nodesWithoutHistory()).isEmpty();
    }

    @Test
    void aNodeThatHasHistoryAgainLeavesTheNodesWithoutHistory() throws Exception {
        ScriptedServer server = server(0);
        String energy = server.addVariable("Energy", true);
        OpcUaSource source = connect(server, 1000);
        server.failNodeHistory("Energy", 1, StatusCodes.Bad_HistoryOperationUnsupported);

        assertThat(source.historyReadRaw(List.of(energy), from, to).get().failedNodes()).containsKey(energy);
        assertThat(source.nodesWithoutHistory()).containsOnlyKeys(energy);

        assertThat(source.historyReadRaw(List.of(energy), from, to).get().samples()).hasSize(4);
        assertThat(source.nodesWithoutHistory()).isEmpty();
    }

    private ScriptedServer server(int maxNodesPerHistoryRead) {
        ScriptedServer server = new ScriptedServer(maxNodesPerHistoryRead);
        servers.add(server);
        return server;
    }

    private OpcUaSource connect(ScriptedServer server, int historyPageSize) {
        OpcUaSource source = sources.start(ServerRole.PRIMARY,
                TestSources.fastOptions(server.endpointUrl()).historyPageSize(historyPageSize).build());
        await().atMost(TIMEOUT).until(() -> source.connectionState() == ConnectionState.CONNECTED);
        return source;
    }

    private static Object[] seconds(Instant start, int count) {
        return IntStream.range(0, count).mapToObj(i -> (Object) (double) (start.getEpochSecond() + i)).toArray();
    }
}
