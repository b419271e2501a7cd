package io.busbar.bootstrap.cli;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import picocli.CommandLine.Option;

/** The simulated SCADA pair's options, shared by {@code demo} and {@code simulate}. */
final class SimulatedPairOptions {

    @Option(names = "--primary-port", defaultValue = "4840", description = "OPC UA port of the simulated primary (default: ${DEFAULT-VALUE}).")
    int primaryPort;

    @Option(names = "--secondary-port", defaultValue = "4841", description = "OPC UA port of the simulated secondary (default: ${DEFAULT-VALUE}).")
    int secondaryPort;

    @Option(names = "--meters", defaultValue = "20", description = "Number of simulated meters (default: ${DEFAULT-VALUE}).")
    int meters;

    SimulatedScadaServer primary(String name) {
        return server(primaryPort, name);
    }

    SimulatedScadaServer secondary(String name) {
        return server(secondaryPort, name);
    }

    private SimulatedScadaServer server(int port, String name) {
        return SimulatedScadaServer.builder().port(port).meterCount(meters).applicationName(name).build();
    }
}
