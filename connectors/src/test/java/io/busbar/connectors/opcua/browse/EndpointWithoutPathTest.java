package io.busbar.connectors.opcua.browse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import org.junit.jupiter.api.Test;

/**
 * {@code busbar discover} given {@code opc.tcp://host:port} for a server that routes by path (Milo
 * refuses such a URL with Bad_TcpEndpointUrlInvalid): the server is asked for its endpoints at its
 * discovery endpoint and the matching one is used, or the error says what to configure.
 */
class EndpointWithoutPathTest {

    @Test
    void urlWithoutPath_isResolvedThroughTheDiscoveryEndpoint() throws Exception {
        try (SimulatedScadaServer server = SimulatedScadaServer.builder().port(0).meterCount(1).build()) {
            server.start();
            String withoutPath = "opc.tcp://localhost:" + server.port();

            BrowseResult result = AddressSpaceBrowser.builder(OpcUaSourceOptions.builder(withoutPath).build()).build()
                    .browse();

            assertThat(result.endpointUrl()).isEqualTo(server.endpointUrl()).endsWith(SimulatedScadaServer.ENDPOINT_PATH);
            assertThat(result.variables()).isNotEmpty();
        }
    }

    @Test
    void serverWithoutDiscoveryEndpoint_failsNamingWhatToConfigure() {
        try (PlantServer server = new PlantServer()) {
            String withoutPath = server.endpointUrl().replace("/plant", "");

            assertThatThrownBy(() -> AddressSpaceBrowser.builder(OpcUaSourceOptions.builder(withoutPath).build()).build()
                    .browse())
                    .isInstanceOf(BrowseException.class)
                    .hasMessageContaining("cannot connect to " + withoutPath + ": Bad_TcpEndpointUrlInvalid: the server"
                            + " refuses " + withoutPath + " because it has no path, and lists no endpoints there nor at "
                            + withoutPath + "/discovery; configure the server's full endpoint URL, e.g. " + withoutPath
                            + "/UA/Server");
        }
    }
}
