package io.busbar.bootstrap.demo;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;

/** The demo's simulated SCADA pair, handed to the application so the demo controls can reach it. */
public record DemoServers(SimulatedScadaServer primary, SimulatedScadaServer secondary) {

    public SimulatedScadaServer get(ServerRole role) {
        return role == ServerRole.PRIMARY ? primary : secondary;
    }
}
