package io.busbar.routes.source;

import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.ServiceLevelListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.model.ServerRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One server of a source pair, as the pair's engine needs it: an OPC UA server in production
 * ({@link OpcUaPairServer}), a scripted fake in the engine's unit tests.
 *
 * <p>Lifecycle: {@link #subscribe} and {@link #onServiceLevel} any time, then {@link #start()} once
 * (it returns at once and connects in the background, retrying), then {@link #stop()} once.
 * Listeners are called on the server's own threads and must not block.
 */
public interface PairServer {

    ServerRole role();

    void start();

    void stop();

    /** Whether a session with the server is up now. */
    boolean connected();

    /**
     * Why the server counts as not connected when its session may well be up: a polled server whose
     * polls went unanswered through their retries ("connection lost"). Empty otherwise.
     */
    default java.util.Optional<String> connectionLost() {
        return java.util.Optional.empty();
    }

    /**
     * Mapped nodes the server gets no value of while it is itself answering (a Modbus meter that
     * stopped answering behind a working gateway), with the time of the last value, or of the start.
     * Empty for servers that cannot tell a silent node from an unchanged one (OPC UA reports changes).
     */
    default Map<String, Instant> silentNodes() {
        return Map.of();
    }

    /** How many connection attempts have failed since the start. */
    default long connectFailures() {
        return 0;
    }

    /** Nodes the server refused history for, with the OPC UA status, as far as reads have shown. */
    default Map<String, Long> nodesWithoutHistory() {
        return Map.of();
    }

    /** Monitors the nodes; the subscription survives reconnects and server restarts. */
    SourceSubscription subscribe(List<String> nodeIds, SampleListener listener);

    void onServiceLevel(ServiceLevelListener listener);

    /**
     * Called when the server's session comes or goes, once {@link #connected()} says so. A server
     * whose connection is only seen by polling it (none calls this) leaves the pair to its next tick.
     */
    default void onConnectionChange(Runnable listener) {
    }

    /**
     * Raw history for {@code [from, to)}, node by node: nodes without history are reported in the
     * result and never fail the others. Fails only when the whole read cannot be made.
     */
    CompletableFuture<HistoryResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to);

    /**
     * At least each node's first {@code perNode} values of {@code [from, to)} (a server that cannot
     * stop early gives them all): a sample of its history, for its update cadence.
     */
    default CompletableFuture<HistoryResult> historyReadFirst(List<String> nodeIds, Instant from, Instant to,
                                                              int perNode) {
        return historyReadRaw(nodeIds, from, to);
    }

    /** Opens the connection to one server of a pair. */
    @FunctionalInterface
    interface Factory {
        PairServer open(io.busbar.routes.plan.ServerPlan server);
    }
}
