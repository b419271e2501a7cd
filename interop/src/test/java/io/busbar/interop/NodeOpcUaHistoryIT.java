package io.busbar.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.ConnectionState;
import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.connectors.opcua.OpcUaSource;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongBiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Busbar's OPC UA client against a node-opcua server that, like real SCADA servers, historizes the
 * energy registers but not the instantaneous power: history comes back node by node, and a node
 * without history, or one the server deleted, is reported with its status instead of costing the
 * others their values. Also: the server's ServiceLevel reaches the client, and a new subscription's
 * first values come at once rather than after a whole configured publishing interval.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeOpcUaHistoryIT {

    private static final int METERS = 3;
    private static final int DELETED_METER = 3;
    /** OPC UA status codes (Part 6), as node-opcua sends them. */
    private static final long BAD_HISTORY_OPERATION_UNSUPPORTED = 0x80720000L;
    private static final long BAD_NODE_ID_UNKNOWN = 0x80340000L;
    /** Seconds of history the reads wait for; values are published once a second. */
    private static final int HISTORY_SECONDS = 3;

    /** Historizes energy only, like most SCADA servers. */
    private NodeMeterServer server;
    private OpcUaSource source;
    /** Historizes power too. */
    private NodeMeterServer historian;
    private OpcUaSource historianSource;
    private Instant serversUp;

    @BeforeAll
    void startServers() {
        Optional<NodeInstall.Installed> installed = NodeInstall.installed();
        if (installed.isEmpty()) {
            return; // each test skips with the reason
        }
        NodeInstall.Installed node = installed.get();
        serversUp = Instant.now();
        // in parallel: each spends seconds loading the standard nodeset
        CompletableFuture<NodeMeterServer> historianStarting =
                CompletableFuture.supplyAsync(() -> NodeMeterServer.start(node, ServerRole.SECONDARY, 1, true));
        server = NodeMeterServer.start(node, ServerRole.PRIMARY, METERS, false);
        historian = historianStarting.join();
        source = start(server);
        historianSource = start(historian);
        awaitConnected(source);
        awaitConnected(historianSource);
    }

    @BeforeEach
    void requireNode() {
        NodeInstall.require();
    }

    @AfterAll
    void stopServers() {
        for (AutoCloseable closeable : new AutoCloseable[] {source, historianSource, server, historian}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close " + closeable, e);
                }
            }
        }
    }

    @Test
    void historyRead_energyValuesComeBack_powerWithoutHistoryReportedPerNode() {
        List<String> nodes = List.of(server.energyNodeId(1), server.powerNodeId(1),
                server.energyNodeId(2), server.powerNodeId(2));

        HistoryResult result = awaitHistory(source, nodes, server.energyNodeId(2));

        assertThat(result.failedNodes()).as("nodes without history").isEqualTo(Map.of(
                server.powerNodeId(1), BAD_HISTORY_OPERATION_UNSUPPORTED,
                server.powerNodeId(2), BAD_HISTORY_OPERATION_UNSUPPORTED));
        assertEverySecondWithItsValue(result, server.energyNodeId(1), 1, NodeMeterServer::energy);
        assertEverySecondWithItsValue(result, server.energyNodeId(2), 2, NodeMeterServer::energy);
        assertThat(result.samples()).extracting(RawSample::nodeId).as("nodes with values")
                .containsOnly(server.energyNodeId(1), server.energyNodeId(2));
    }

    @Test
    void historyRead_ofADeletedMeter_reportsNodeIdUnknown_andTheOthersStillComeBack() {
        server.deleteMeter(DELETED_METER);
        List<String> nodes = List.of(server.energyNodeId(1), server.energyNodeId(DELETED_METER));

        HistoryResult result = awaitHistory(source, nodes, server.energyNodeId(1));

        assertThat(result.failedNodes()).as("deleted node")
                .isEqualTo(Map.of(server.energyNodeId(DELETED_METER), BAD_NODE_ID_UNKNOWN));
        assertEverySecondWithItsValue(result, server.energyNodeId(1), 1, NodeMeterServer::energy);
    }

    @Test
    void historizedPower_comesBackLikeEnergy() {
        List<String> nodes = List.of(historian.energyNodeId(1), historian.powerNodeId(1));

        HistoryResult result = awaitHistory(historianSource, nodes, historian.powerNodeId(1));

        assertThat(result.failedNodes()).isEmpty();
        assertEverySecondWithItsValue(result, historian.energyNodeId(1), 1, NodeMeterServer::energy);
        assertEverySecondWithItsValue(result, historian.powerNodeId(1), 1, NodeMeterServer::power);
    }

    /**
     * The first values of each node (a pair's start samples history for cadences), from a stack
     * Busbar's own simulator is not: numValuesPerNode honoured, read after read (the release of
     * the continuation points is counted by {@code HistoryPerNodeTest}).
     */
    @Test
    void historyReadFirst_givesEachNodesFirstValues_asOftenAsAsked() {
        List<String> nodes = List.of(server.energyNodeId(1), server.energyNodeId(2));
        HistoryResult whole = awaitHistory(source, nodes, server.energyNodeId(2));
        Instant from = whole.samples().get(0).sourceTime();

        for (int read = 0; read < 5; read++) {
            HistoryResult first = source.historyReadFirst(nodes, from, Instant.now(), 2).join();

            assertThat(first.failedNodes()).as("read %d", read).isEmpty();
            assertThat(first.samples()).as("read %d", read).extracting(RawSample::nodeId)
                    .containsExactly(nodes.get(0), nodes.get(0), nodes.get(1), nodes.get(1));
            assertThat(first.samples().get(1).sourceTime()).isEqualTo(from.plusSeconds(1));
        }
        assertEverySecondWithItsValue(source.historyReadRaw(nodes, from, Instant.now()).join(), nodes.get(0), 1,
                NodeMeterServer::energy);
    }

    @Test
    void serviceLevel_followsTheServer() {
        await().atMost(Duration.ofSeconds(10)).until(() -> source.serviceLevel().equals(OptionalInt.of(255)));
        try {
            server.setServiceLevel(100);
            await().atMost(Duration.ofSeconds(10)).until(() -> source.serviceLevel().equals(OptionalInt.of(100)));
        } finally {
            server.setServiceLevel(255);
        }
    }

    @Test
    void subscription_firstValuesComeAtOnce_thenTheServerPublishesAtTheConfiguredInterval() {
        Duration configured = Duration.ofSeconds(6);
        List<RawSample> received = new CopyOnWriteArrayList<>();
        try (OpcUaSource slow = new OpcUaSource(ServerRole.SECONDARY,
                NodeOpcUaPairFailoverIT.optionsBuilder(server).publishingInterval(configured).build())) {
            slow.start();
            awaitConnected(slow);

            long subscribed = System.nanoTime();
            slow.subscribe(List.of(server.energyNodeId(1)), (role, batch) -> received.addAll(batch));
            await().atMost(configured.dividedBy(2)).until(() -> !received.isEmpty());

            assertThat(Duration.ofNanos(System.nanoTime() - subscribed)).isLessThan(configured.dividedBy(2));
            // the other source's ServiceLevel subscription at its own 1 s; this one's two at 6 s
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.publishingIntervals())
                    .containsExactlyInAnyOrder(1_000.0, (double) configured.toMillis(), (double) configured.toMillis()));
        }
    }

    private static OpcUaSource start(NodeMeterServer server) {
        OpcUaSource source = new OpcUaSource(ServerRole.PRIMARY, NodeOpcUaPairFailoverIT.options(server));
        source.start();
        return source;
    }

    private static void awaitConnected(OpcUaSource source) {
        await().atMost(Duration.ofSeconds(30)).until(() -> source.connectionState() == ConnectionState.CONNECTED);
    }

    /** Reads until {@code watched} has {@link #HISTORY_SECONDS} values; the server is seconds old. */
    private HistoryResult awaitHistory(OpcUaSource source, List<String> nodes, String watched) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> source.historyReadRaw(nodes, serversUp.minusSeconds(5), Instant.now()).join(),
                        result -> result.samples().stream().filter(s -> s.nodeId().equals(watched)).count()
                                >= HISTORY_SECONDS);
    }

    /** One value for each second, none missing between the first and the last, each the server's value. */
    private static void assertEverySecondWithItsValue(HistoryResult result, String nodeId, int meter,
                                                      ToLongBiFunction<Integer, Long> valueAt) {
        List<RawSample> samples = result.samples().stream().filter(s -> s.nodeId().equals(nodeId)).toList();
        assertThat(samples).as("history of " + nodeId).hasSizeGreaterThanOrEqualTo(HISTORY_SECONDS);
        List<Long> seconds = samples.stream().map(s -> s.sourceTime().getEpochSecond()).toList();
        long first = seconds.get(0);
        assertThat(seconds).as("seconds of " + nodeId)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(first, first + seconds.size() - 1).boxed().toList());
        assertThat(samples).allSatisfy(s -> assertThat(((Number) s.value()).doubleValue()).as(nodeId + " at " + s.sourceTime())
                .isEqualTo((double) valueAt.applyAsLong(meter, s.sourceTime().getEpochSecond())));
        assertThat(samples.stream().map(RawSample::statusCode).collect(Collectors.toSet())).as("status").containsOnly(0L);
    }
}
