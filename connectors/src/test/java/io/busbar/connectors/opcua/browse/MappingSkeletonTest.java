package io.busbar.connectors.opcua.browse;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.model.Meter;
import io.busbar.mappings.model.Register;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingSkeletonTest {

    private static FoundVariable variable(String path, String nodeId, String type, String typeId, String units) {
        return new FoundVariable(path, nodeId, type, typeId, -1, units, null);
    }

    private static FoundVariable dbl(String path, String nodeId) {
        return variable(path, nodeId, "Double", "i=11", null);
    }

    @Test
    void oneMeterPerParent_idsSanitisedAndUnique_nonNumericLeftOut() {
        MappingSkeleton skeleton = MappingSkeleton.of(List.of(
                dbl("Objects/A/Meter 1/Energy", "ns=2;s=a1"),
                dbl("Objects/B/Meter 1/Energy", "ns=2;s=b1"),
                dbl("Objects/Feeder\\/7/Energy", "ns=2;s=f7"),
                variable("Objects/A/Meter 1/Name", "ns=2;s=a1n", "String", "i=12", null),
                new FoundVariable("Objects/A/Meter 1/Profile", "ns=2;s=a1p", "Double", "i=11", 1, null, null)));

        assertThat(skeleton.meters()).extracting(MappingSkeleton.Meter::id).containsExactly("Meter_1", "Meter_1-2", "Feeder_7");
        assertThat(skeleton.skipped()).extracting(FoundVariable::nodeId).containsExactly("ns=2;s=a1n", "ns=2;s=a1p");
        Mapping mapping = MappingFile.parse("p", skeleton.toYaml(List.of("header")), "d.yaml");
        assertThat(mapping.meters()).extracting(Meter::id).containsExactly("Meter_1", "Meter_1-2", "Feeder_7");
    }

    @Test
    void aQuantityTakenInTheMeter_givesAPlaceholderMarkedTodo() {
        MappingSkeleton skeleton = MappingSkeleton.of(List.of(
                dbl("Objects/M/Power", "ns=2;s=p"),
                dbl("Objects/M/ActivePower", "ns=2;s=ap"),
                dbl("Objects/M/Temperature", "ns=2;s=t"),
                dbl("Objects/M/Energy", "ns=2;s=e")));

        String yaml = skeleton.toYaml(List.of());
        Mapping mapping = MappingFile.parse("p", yaml, "d.yaml");

        assertThat(mapping.registers()).extracting(Register::nodeId, Register::quantity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ns=2;s=p", "1-0:1.7.0"),
                org.assertj.core.groups.Tuple.tuple("ns=2;s=ap", "0-0:96.1.0"),
                org.assertj.core.groups.Tuple.tuple("ns=2;s=t", "0-0:96.1.1"),
                org.assertj.core.groups.Tuple.tuple("ns=2;s=e", "1-0:1.8.0"));
        assertThat(yaml).contains("quantity: \"0-0:96.1.0\"").contains("# TODO check quantity: looks like 1-0:1.7.0, which Power has")
                .contains("# TODO check quantity: nothing recognised in the name")
                .contains("# TODO check unit: the server gives no engineering units");
        assertThat(skeleton.quantityTodoCount()).isEqualTo(2);
        assertThat(skeleton.unitTodoCount()).isEqualTo(4);
    }

    @Test
    void stringsAreQuotedAndCommentsStayOnOneLine() {
        FoundVariable odd = new FoundVariable("Objects/M \"x\"/Energy", "ns=2;s=a\"b\\c#d", "Double", "i=11", -1,
                "k Wh\n", "line one\nline two # not a key: value");
        String yaml = MappingSkeleton.of(List.of(odd)).toYaml(List.of("multi\nline"));

        Mapping mapping = MappingFile.parse("p", yaml, "d.yaml");

        assertThat(mapping.meters().get(0).id()).isEqualTo("M_\"x\"");
        assertThat(mapping.registers().get(0).nodeId()).isEqualTo("ns=2;s=a\"b\\c#d");
        assertThat(mapping.registers().get(0).unit()).isEqualTo("k Wh");
        assertThat(yaml).contains("line one line two # not a key: value").startsWith("# multi line\n");
    }

    @Test
    void theSuggestedBrowseTemplate_makesTheSameMeters() {
        List<FoundVariable> variables = new ArrayList<>();
        List<BrowsedNode> addressSpace = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            for (String name : List.of("Energy", "Power")) {
                String path = "Objects/Meters/M{" + i + "}/" + name;
                variables.add(dbl(path, "ns=2;s=M" + i + "." + name));
                addressSpace.add(new BrowsedNode(path, "ns=2;s=M" + i + "." + name));
            }
        }
        MappingSkeleton skeleton = MappingSkeleton.of(variables);
        String yaml = skeleton.toYaml(List.of());
        Mapping written = MappingFile.parse("p", yaml, "d.yaml");

        String templates = yaml.lines().filter(line -> line.startsWith("# templates:") || line.startsWith("#   ")
                        || line.startsWith("#     ") || line.startsWith("#       "))
                .map(line -> line.substring(2)).reduce("", (a, b) -> a + b + "\n");
        assertThat(templates).contains("browse: \"Objects/Meters/{meter}/Energy\"");
        Mapping fromTemplate = MappingFile.parse("p", templates, "t.yaml", addressSpace);

        assertThat(fromTemplate.meters()).extracting(Meter::id).containsExactlyElementsOf(
                written.meters().stream().map(Meter::id).toList());
        assertThat(fromTemplate.registers()).extracting(Register::nodeId, Register::quantity, Register::unit)
                .containsExactlyElementsOf(written.registers().stream()
                        .map(r -> org.assertj.core.groups.Tuple.tuple(r.nodeId(), r.quantity(), r.unit())).toList());
    }

    @Test
    void placeholdersCountOnPastNineHundredNinetyNine() {
        assertThat(MappingSkeleton.placeholder(0)).isEqualTo("0-0:96.1.0");
        assertThat(MappingSkeleton.placeholder(999)).isEqualTo("0-0:96.1.999");
        assertThat(MappingSkeleton.placeholder(1000)).isEqualTo("0-0:96.2.0");
    }
}
