package io.busbar.routes.source;

import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.routes.plan.ServerPlan;
import java.util.List;

/** A pair's server over OPC UA, its values from a subscription: the production {@link PairServer}. */
final class OpcUaPairServer extends OpcUaSourcePairServer {

    static final Factory FACTORY = OpcUaPairServer::new;

    OpcUaPairServer(ServerPlan server) {
        super(server);
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
        return sessionUp();
    }

    @Override
    public long connectFailures() {
        return source.connectFailures();
    }

    @Override
    public SourceSubscription subscribe(List<String> nodeIds, SampleListener listener) {
        return source.subscribe(nodeIds, listener);
    }
}
