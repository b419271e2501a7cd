package io.busbar.connectors.opcua.browse;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.powerNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.opcua.OpcUaSecurityPolicy;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.TrustList;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.model.Meter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser against the simulated SCADA server: Objects/Meters/MeterNNN/{Energy,Power}, Objects/Redundancy. */
class AddressSpaceBrowserTest {

    private static final int METERS = 3;
    private static SimulatedScadaServer server;

    @BeforeAll
    static void startServer() {
        server = SimulatedScadaServer.builder().port(0).meterCount(METERS).build();
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static AddressSpaceBrowser.Builder browser() {
        return AddressSpaceBrowser.builder(OpcUaSourceOptions.builder(server.endpointUrl()).build());
    }

    @Test
    void browse_findsEveryMeterVariableWithPathNodeIdTypeAndDescription() throws Exception {
        BrowseResult result = browser().build().browse();

        assertThat(result.rootNodeId()).isEqualTo("i=85");
        assertThat(result.rootPath()).isEqualTo("Objects");
        assertThat(result.truncated()).isFalse();
        Map<String, FoundVariable> byPath = result.variables().stream()
                .collect(Collectors.toMap(FoundVariable::browsePath, Function.identity()));
        for (int meter = 1; meter <= METERS; meter++) {
            String folder = "Objects/Meters/Meter%03d".formatted(meter);
            assertThat(byPath.get(folder + "/Energy")).isEqualTo(new FoundVariable(folder + "/Energy", energyNodeId(meter),
                    "Double", "i=11", -1, null, "Raw active energy counter, Wh"));
            assertThat(byPath.get(folder + "/Power")).isEqualTo(new FoundVariable(folder + "/Power", powerNodeId(meter),
                    "Double", "i=11", -1, null, "Active power, kW"));
        }
        assertThat(byPath.get("Objects/Redundancy/IsActive").nodeId()).isEqualTo(SimulatedScadaServer.ROLE_NODE_ID);
        assertThat(byPath.get("Objects/Redundancy/IsActive").dataType()).isEqualTo("Boolean");
        assertThat(byPath.get("Objects/Redundancy/Heartbeat").dataType()).isEqualTo("Int64");
        assertThat(byPath).as("the standard Server object is left out").noneSatisfy((path, v) ->
                assertThat(path).startsWith("Objects/Server"));
        assertThat(result.variables()).hasSize(2 * METERS + 2);
        // Meters, Redundancy, 3 meter folders, their 6 variables, IsActive, Heartbeat
        assertThat(result.nodesVisited()).isEqualTo(2 + METERS + 2 * METERS + 2);
        assertThat(result.nodes()).contains(new BrowsedNode("Objects/Meters", "ns=2;s=Meters"));
    }

    @Test
    void browse_listsVariablesInAddressSpaceOrder() throws Exception {
        List<String> paths = browser().build().browse().variables().stream().map(FoundVariable::browsePath).toList();

        List<String> meters = new ArrayList<>();
        for (int meter = 1; meter <= METERS; meter++) {
            meters.add("Objects/Meters/Meter%03d/Energy".formatted(meter));
            meters.add("Objects/Meters/Meter%03d/Power".formatted(meter));
        }
        int first = paths.indexOf(meters.get(0));
        assertThat(paths.subList(first, first + meters.size())).as("depth first").isEqualTo(meters);
    }

    @Test
    void browse_reportsProgressUpToTheFinalCount() throws Exception {
        List<Integer> reported = new ArrayList<>();

        BrowseResult result = browser().progress((nodes, variables) -> reported.add(nodes)).build().browse();

        assertThat(reported).isNotEmpty().isSorted();
        assertThat(reported.get(reported.size() - 1)).isEqualTo(result.nodesVisited());
    }

    @Test
    void browse_fromAnotherRoot_pathsStillStartAtObjects() throws Exception {
        BrowseResult result = browser().root("ns=2;s=Meters").build().browse();

        assertThat(result.rootPath()).isEqualTo("Objects/Meters");
        assertThat(result.variables()).extracting(FoundVariable::browsePath)
                .hasSize(2 * METERS)
                .contains("Objects/Meters/Meter002/Power")
                .allMatch(path -> path.startsWith("Objects/Meters/"));
    }

    @Test
    void browse_stopsAtTheMaxNodesLimitAndSaysSo() throws Exception {
        BrowseResult result = browser().maxNodes(4).build().browse();

        assertThat(result.truncated()).isTrue();
        assertThat(result.nodesVisited()).isEqualTo(4);
        assertThat(result.nodes()).hasSize(4);
    }

    @Test
    void browseNodes_belowPrefixes_resolvesABrowseTemplate() throws Exception {
        Mapping mapping = MappingFile.parse("plant", """
                templates:
                  - browse: "Objects/Meters/{meter}/Energy"
                    id: "M-{meter}"
                    registers:
                      - {browse: "Objects/Meters/{meter}/Energy", quantity: "1-0:1.8.0", unit: Wh}
                      - {browse: "Objects/Meters/{meter}/Power", quantity: "1-0:1.7.0", unit: kW}
                """, "plant.yaml");
        assertThat(mapping.needsAddressSpace()).isTrue();

        List<BrowsedNode> nodes = browser().build().browseNodes(mapping.browsePrefixes());

        assertThat(nodes).contains(new BrowsedNode("Objects/Meters/Meter002/Power", powerNodeId(2)))
                .noneMatch(node -> node.browsePath().startsWith("Objects/Redundancy"));
        Mapping resolved = mapping.resolve(nodes);
        assertThat(resolved.meters()).extracting(Meter::id).containsExactly("M-Meter001", "M-Meter002", "M-Meter003");
        assertThat(resolved.register(energyNodeId(3)).meter()).isEqualTo("M-Meter003");
    }

    @Test
    void browseNodes_emptyPrefixIsTheWholeObjectsFolder_andUnknownPrefixesGiveNothing() throws Exception {
        AddressSpaceBrowser browser = browser().build();

        assertThat(browser.browseNodes(List.of(""))).extracting(BrowsedNode::browsePath)
                .contains("Objects/Redundancy/Heartbeat", "Objects/Meters/Meter001/Energy");
        assertThat(browser.browseNodes(List.of("Objects/Nowhere", "Types/Meters"))).isEmpty();
    }

    @Test
    void browseNodes_overTheLimit_failsRatherThanAnswerIncompletely() {
        assertThatThrownBy(() -> browser().maxNodes(3).build().browseNodes(List.of("Objects/Meters")))
                .isInstanceOf(BrowseException.class)
                .hasMessageContaining("more than 3 nodes below Objects/Meters");
    }

    @Test
    void unknownRoot_failsNamingIt() {
        assertThatThrownBy(() -> browser().root("ns=2;s=NoSuchNode").build().browse())
                .isInstanceOf(BrowseException.class)
                .hasMessage("the root node ns=2;s=NoSuchNode is not in the address space of " + server.endpointUrl()
                        + " (Bad_NodeIdUnknown)");
    }

    @Test
    void rootThatIsNoNodeId_isRefusedAtOnce() {
        assertThatThrownBy(() -> browser().root("Meters"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an OPC UA NodeId: 'Meters'");
    }

    @Test
    void deadEndpoint_failsWithOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String endpoint = "opc.tcp://localhost:" + port + "/nothing";
        AddressSpaceBrowser browser = AddressSpaceBrowser.builder(OpcUaSourceOptions.builder(endpoint)
                .connectTimeout(Duration.ofSeconds(1)).build()).build();

        assertThatThrownBy(browser::browse)
                .isInstanceOf(BrowseException.class)
                .hasMessageStartingWith("cannot connect to " + endpoint + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void securedServer_connectsLikeTheSourceOnceItsCertificateIsTrusted(@TempDir Path pki) throws Exception {
        try (SimulatedScadaServer secured = SimulatedScadaServer.builder().port(0).meterCount(1).secured(true)
                .user("operator", "pa55").applicationName("secured").build()) {
            secured.start();
            AddressSpaceBrowser browser = AddressSpaceBrowser.builder(OpcUaSourceOptions.builder(secured.endpointUrl())
                    .securityPolicy(OpcUaSecurityPolicy.BASIC256SHA256).pkiDirectory(pki)
                    .credentials("operator", "pa55").build()).build();

            assertThatThrownBy(browser::browse).isInstanceOf(BrowseException.class)
                    .hasMessageContaining("Bad_CertificateUntrusted")
                    .hasMessageContaining("busbar pki trust "
                            + TrustList.thumbprint(secured.serverCertificate().orElseThrow()));

            Files.write(pki.resolve("trusted/certs/simulator.der"), secured.serverCertificate().orElseThrow().getEncoded());
            assertThat(browser.browse().variables()).extracting(FoundVariable::nodeId).contains(energyNodeId(1));
        }
    }
}
