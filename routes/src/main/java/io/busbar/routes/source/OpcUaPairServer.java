package io.busbar.routes.source;

import io.busbar.connectors.opcua.ConnectionState;
import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.connectors.opcua.OpcUaSource;
import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.ServiceLevelListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.ServerPlan;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A pair's server over OPC UA: the production {@link PairServer}. */
final class OpcUaPairServer implements PairServer {

    static final Factory FACTORY = OpcUaPairServer::new;

    private final OpcUaSource source;

    OpcUaPairServer(ServerPlan server) {
        this.source = new OpcUaSource(server.role(), server.options());
    }

    @Override
    public ServerRole role() {
        return source.role();
    }

    @Override
    public void start() {
        source.start();
    }

    @Override
    public void stop() {
        source.stop();
    }

    @Override
    public boolean connected() {
        return source.connectionState() == ConnectionState.CONNECTED;
    }

    @Override
    public java.util.Map<String, Long> nodesWithoutHistory() {
        return source.nodesWithoutHistory();
    }

    @Override
    public long connectFailures() {
        return source.connectFailures();
    }

    @Override
    public SourceSubscription subscribe(List<String> nodeIds, SampleListener listener) {
        return source.subscribe(nodeIds, listener);
    }

    @Override
    public void onServiceLevel(ServiceLevelListener listener) {
        source.addServiceLevelListener(listener);
    }

    @Override
    public CompletableFuture<HistoryResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to) {
        return source.historyReadRaw(nodeIds, from, to);
    }
}
