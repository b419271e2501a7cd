package io.busbar.routes.source;

import io.busbar.connectors.opcua.ConnectionState;
import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.connectors.opcua.OpcUaSource;
import io.busbar.connectors.opcua.ServiceLevelListener;
import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.ServerPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A pair's server over an {@link OpcUaSource} connection, subscribed or polled: the connection's
 * role, ServiceLevel and history are the same either way; how values arrive is the subclass's.
 */
abstract class OpcUaSourcePairServer implements PairServer {

    protected final OpcUaSource source;

    OpcUaSourcePairServer(ServerPlan server) {
        this.source = new OpcUaSource(server.role(), server.options());
    }

    /** The OPC UA session is up (a polled server also needs its cycles answered to count as connected). */
    protected final boolean sessionUp() {
        return source.connectionState() == ConnectionState.CONNECTED;
    }

    @Override
    public final ServerRole role() {
        return source.role();
    }

    @Override
    public final Map<String, Long> nodesWithoutHistory() {
        return source.nodesWithoutHistory();
    }

    @Override
    public final void onServiceLevel(ServiceLevelListener listener) {
        source.addServiceLevelListener(listener);
    }

    @Override
    public final void onConnectionChange(Runnable listener) {
        source.addConnectionListener(listener);
    }

    @Override
    public final CompletableFuture<HistoryResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to) {
        return source.historyReadRaw(nodeIds, from, to);
    }

    @Override
    public final CompletableFuture<HistoryResult> historyReadFirst(List<String> nodeIds, Instant from, Instant to,
                                                                   int perNode) {
        return source.historyReadFirst(nodeIds, from, to, perNode);
    }
}
