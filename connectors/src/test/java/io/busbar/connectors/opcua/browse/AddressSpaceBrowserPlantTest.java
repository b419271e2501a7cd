package io.busbar.connectors.opcua.browse;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.model.Meter;
import io.busbar.mappings.model.Register;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Engineering units, slashes in browse names, paging with BrowseNext and loops, on {@link PlantServer}. */
class AddressSpaceBrowserPlantTest {

    private static final String FEEDER = "Objects/Plant/Feeder\\/1";
    private static PlantServer server;

    @BeforeAll
    static void startServer() {
        server = new PlantServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Four references per response: the 25 Bulk variables take several BrowseNext calls. */
    private static AddressSpaceBrowser.Builder browser() {
        return AddressSpaceBrowser.builder(OpcUaSourceOptions.builder(server.endpointUrl()).build()).maxReferencesPerNode(4);
    }

    @Test
    void engineeringUnitsDescriptionsAndEscapedSlashes() throws Exception {
        BrowseResult result = browser().build().browse();

        Map<String, FoundVariable> byPath = result.variables().stream()
                .collect(Collectors.toMap(FoundVariable::browsePath, Function.identity()));
        assertThat(byPath.get(FEEDER + "/ActiveEnergy")).isEqualTo(new FoundVariable(FEEDER + "/ActiveEnergy",
                "ns=2;s=Plant.Feeder1.ActiveEnergy", "Double", "i=11", -1, "kWh", "Import, total"));
        assertThat(byPath.get(FEEDER + "/Voltage L1")).satisfies(v -> {
            assertThat(v.engineeringUnits()).isEqualTo("V");
            assertThat(v.dataType()).isEqualTo("Float");
            assertThat(v.description()).isNull();
            assertThat(v.parentPath()).isEqualTo(FEEDER);
        });
        assertThat(byPath.get(FEEDER + "/State").engineeringUnits()).isNull();
        assertThat(byPath.get(FEEDER + "/State").numeric()).isFalse();
        assertThat(byPath.keySet()).as("properties such as EURange and EngineeringUnits are no variables")
                .noneMatch(path -> path.endsWith("EURange") || path.endsWith("EngineeringUnits"));
    }

    @Test
    void pagesThroughContinuationPointsAndFollowsALoopOnlyOnce() throws Exception {
        BrowseResult result = browser().build().browse();

        assertThat(result.variables()).filteredOn(v -> v.browsePath().startsWith("Objects/Plant/Bulk/"))
                .hasSize(PlantServer.BULK);
        // Plant, Feeder/1, Bulk, 3 feeder variables, 25 bulk variables: the loop back to Plant adds nothing
        assertThat(result.nodesVisited()).isEqualTo(3 + 3 + PlantServer.BULK);
        assertThat(result.nodes()).extracting(BrowsedNode::nodeId).doesNotHaveDuplicates();
    }

    @Test
    void maxNodesInsideAPagedFolder_stopsThere() throws Exception {
        BrowseResult result = browser().root("ns=2;s=Plant.Bulk").maxNodes(10).build().browse();

        assertThat(result.rootPath()).isEqualTo("Objects/Plant/Bulk");
        assertThat(result.truncated()).isTrue();
        assertThat(result.variables()).hasSize(10);
    }

    @Test
    void browseNodes_findsAPrefixWithAnEscapedSlash() throws Exception {
        List<BrowsedNode> nodes = browser().build().browseNodes(List.of(FEEDER));

        // below the feeder, its reference back to Plant is a path like any other
        assertThat(nodes).extracting(BrowsedNode::browsePath)
                .contains(FEEDER, FEEDER + "/ActiveEnergy", FEEDER + "/Voltage L1", FEEDER + "/State",
                        FEEDER + "/Plant/Bulk/V24")
                .allMatch(path -> path.startsWith(FEEDER));
        assertThat(nodes).extracting(BrowsedNode::nodeId).doesNotHaveDuplicates();
    }

    @Test
    void skeleton_usesTheEngineeringUnitsAndLoads() throws Exception {
        BrowseResult result = browser().build().browse();
        MappingSkeleton skeleton = MappingSkeleton.of(result.variables());

        String yaml = skeleton.toYaml(List.of("test"));
        Mapping mapping = MappingFile.parse("plant", yaml, "discovered.yaml");

        assertThat(mapping.meters()).extracting(Meter::id).containsExactly("Feeder_1", "Bulk");
        Register energy = mapping.register("ns=2;s=Plant.Feeder1.ActiveEnergy");
        assertThat(energy.quantity()).isEqualTo("1-0:1.8.0");
        assertThat(energy.unit()).isEqualTo("kWh");
        Register voltage = mapping.register("ns=2;s=Plant.Feeder1.VoltageL1");
        assertThat(voltage.quantity()).isEqualTo("1-0:32.7.0");
        assertThat(voltage.unit()).isEqualTo("V");
        assertThat(mapping.meters().get(1).registers()).hasSize(PlantServer.BULK)
                .extracting(Register::quantity).doesNotHaveDuplicates().allMatch(q -> q.startsWith("0-0:96.1."));
        assertThat(yaml).contains("# Left out (not numeric, or arrays): 1 variable(s):\n#   " + FEEDER + "/State (String)")
                .contains("# ActiveEnergy · Double · kWh · Import, total");
    }
}
