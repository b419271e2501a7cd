package io.busbar.routes.source;

import io.busbar.routes.plan.ServerPlan;

/** Opens a pair's server as its plan says: a Modbus gateway, a polled OPC UA server, or a subscribed one. */
final class PairServers {

    static final PairServer.Factory FACTORY = PairServers::open;

    private PairServers() {
    }

    static PairServer open(ServerPlan server) {
        if (server.modbus().isPresent()) {
            return new ModbusPairServer(server);
        }
        if (server.poll().isPresent()) {
            return new PolledOpcUaPairServer(server);
        }
        return OpcUaPairServer.FACTORY.open(server);
    }
}
