package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.model.Meter;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateExpanderTest {

    private static final String BROWSED = """
            templates:
              - browse: "Objects/Meters/{meter}/Energy"
                id: "{meter}"
                registers:
                  - browse: "Objects/Meters/{meter}/Energy"
                    quantity: 1-0:1.8.0
                    unit: kWh
                  - browse: "Objects/Meters/{meter}/Power"
                    quantity: 1-0:1.7.0
                    unit: kW
            """;

    @Test
    void forTemplate_withSeveralVariables_makesEveryCombination_firstVariableOutermost() {
        Mapping mapping = MappingFile.parse("p", """
                templates:
                  - for: {building: [A, B], flat: {from: 8, to: 10, format: "%02d"}}
                    id: "{building}{flat}"
                    registers:
                      - {node: "ns=2;s={building}.{flat}", quantity: 1-0:1.8.0, unit: kWh}
                """, "t.yaml");

        assertThat(mapping.meters()).extracting(Meter::id).containsExactly("A08", "A09", "A10", "B08", "B09", "B10");
        assertThat(mapping.templates().get(0).size()).isEqualTo(6);
        assertThat(mapping.templates().get(0).variables()).containsExactly("building", "flat");
    }

    @Test
    void doubledBraces_areLiteralBraces() {
        Mapping mapping = MappingFile.parse("p", """
                templates:
                  - for: {n: [1]}
                    id: "M{n}"
                    address: "{{not a placeholder}} {n}"
                    registers:
                      - {node: "ns=2;s={{x}}.{n}", quantity: 1-0:1.8.0, unit: kWh}
                """, "t.yaml");

        Register register = mapping.register("ns=2;s={x}.1");
        assertThat(register.attributes().address()).isEqualTo("{not a placeholder} 1");
    }

    @Test
    void bracesInAMeterWrittenOut_areJustText() {
        Mapping mapping = MappingFile.parse("p", """
                meters:
                  - id: "M{1}"
                    registers:
                      - {node: "ns=2;s={meter}", quantity: 1-0:1.8.0, unit: kWh}
                """, "t.yaml");

        assertThat(mapping.register("ns=2;s={meter}").meter()).isEqualTo("M{1}");
    }

    @Test
    void browseTemplate_makesOneMeterPerDistinctCapture_inAddressSpaceOrder() {
        Template template = MappingFile.parse("p", BROWSED, "t.yaml").templates().get(0);

        Expansion expansion = TemplateExpander.expand(template, List.of(
                new BrowsedNode("Objects/Meters/M2/Energy", "ns=2;i=21"),
                new BrowsedNode("Objects/Meters/M2/Power", "ns=2;i=22"),
                new BrowsedNode("Objects/Meters/M1/Power", "ns=2;i=12"),
                new BrowsedNode("Objects/Meters/M1/Energy", "ns=2;i=11"),
                new BrowsedNode("Objects/Meters/M1/Energy/EURange", "ns=2;i=13"),
                new BrowsedNode("Objects/Server/ServiceLevel", "ns=0;i=2267")));

        assertThat(expansion.problems()).isEmpty();
        assertThat(expansion.meters()).extracting(Meter::id).containsExactly("M2", "M1");
        assertThat(expansion.meters().get(1).registers()).extracting(Register::nodeId).containsExactly("ns=2;i=11", "ns=2;i=12");
        assertThat(template.browsePrefix()).isEqualTo("Objects/Meters");
    }

    @Test
    void placeholderUsedTwiceInABrowsePattern_mustCaptureTheSameText() {
        Template template = MappingFile.parse("p", """
                templates:
                  - browse: "Objects/{meter}/{meter}.Energy"
                    id: "{meter}"
                    registers:
                      - {browse: "Objects/{meter}/{meter}.Energy", quantity: 1-0:1.8.0, unit: kWh}
                """, "t.yaml").templates().get(0);

        Expansion expansion = TemplateExpander.expand(template, List.of(
                new BrowsedNode("Objects/M1/M1.Energy", "ns=2;i=1"),
                new BrowsedNode("Objects/M2/M1.Energy", "ns=2;i=2")));

        assertThat(expansion.meters()).extracting(Meter::id).containsExactly("M1");
    }

    @Test
    void browseNameWithAnEscapedSlash_isOneSegment() {
        Template template = MappingFile.parse("p", BROWSED.replace("id: \"{meter}\"", "id: \"M-{n}\"")
                .replace("{meter}", "{n}"), "t.yaml").templates().get(0);

        Expansion expansion = TemplateExpander.expand(template, List.of(
                new BrowsedNode("Objects/Meters/7\\/A/Energy", "ns=2;i=1"),
                new BrowsedNode("Objects/Meters/7\\/A/Power", "ns=2;i=2")));

        assertThat(expansion.problems()).map(Problem::toString).containsExactly(
                "t.yaml:3:5: templates[0].id: must be a meter id without spaces or '/', at most 128 characters, not 'M-7\\/A' (n=7\\/A)");
    }

    @Test
    void missingOrAmbiguousBrowsePaths_areLocatedAtTheRegister() {
        Template template = MappingFile.parse("p", BROWSED, "t.yaml").templates().get(0);

        Expansion expansion = TemplateExpander.expand(template, List.of(
                new BrowsedNode("Objects/Meters/M1/Energy", "ns=2;i=11"),
                new BrowsedNode("Objects/Meters/M2/Energy", "ns=2;i=21"),
                new BrowsedNode("Objects/Meters/M2/Power", "ns=2;i=22"),
                new BrowsedNode("Objects/Meters/M2/Power", "ns=3;i=22")));

        assertThat(expansion.meters()).isEmpty();
        assertThat(expansion.problems()).map(Problem::toString).containsExactly(
                "t.yaml:8:9: templates[0].registers[1].browse: browse path 'Objects/Meters/M1/Power' is not in the server's "
                        + "address space (meter=M1)",
                "t.yaml:8:9: templates[0].registers[1].browse: browse path 'Objects/Meters/M2/Power' names 2 nodes "
                        + "(ns=2;i=22, ns=3;i=22); make it unique or use 'node' (meter=M2)");
    }

    @Test
    void expandingOneTemplate_reportsWhatItMakesTwice() {
        Template template = MappingFile.parse("p", """
                templates:
                  - browse: "Objects/{area}/{meter}"
                    id: "{area}"
                    registers:
                      - {node: "ns=2;s=Same", quantity: 1-0:1.8.0, unit: kWh}
                """, "t.yaml").templates().get(0);

        Expansion expansion = TemplateExpander.expand(template, List.of(
                new BrowsedNode("Objects/North/M1", "ns=2;i=1"),
                new BrowsedNode("Objects/North/M2", "ns=2;i=2")));

        assertThat(expansion.meters()).extracting(Meter::id).containsExactly("North");
        assertThat(expansion.problems()).map(Problem::toString).containsExactly(
                "t.yaml:3:5: templates[0].id: meter 'North' (area=North, meter=M2) is already defined at templates[0] "
                        + "(line 2, area=North, meter=M1)",
                "t.yaml:5:10: templates[0].registers[0].node: node ns=2;s=Same (area=North, meter=M2) is already mapped at "
                        + "templates[0].registers[0] (line 5, area=North, meter=M1)");
    }

    @Test
    void resolve_expandsBrowseTemplates_andLeavesTheUnresolvedMappingAsItWas() {
        Mapping unresolved = MappingFile.parse("p", BROWSED, "t.yaml");

        Mapping resolved = unresolved.resolve(List.of(
                new BrowsedNode("Objects/Meters/M1/Energy", "ns=2;i=11"),
                new BrowsedNode("Objects/Meters/M1/Power", "ns=2;i=12")));

        assertThat(unresolved.needsAddressSpace()).isTrue();
        assertThat(unresolved.size()).isZero();
        assertThat(resolved.needsAddressSpace()).isFalse();
        assertThat(resolved.nodeIds()).containsExactly("ns=2;i=11", "ns=2;i=12");
        assertThat(resolved.resolve(List.of())).isSameAs(resolved);
    }

    @Test
    void resolve_withProblems_throwsThemLocated_keepingTheOldMappingUsable() {
        Mapping unresolved = MappingFile.parse("p", BROWSED, "t.yaml");

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> unresolved.resolve(List.of(new BrowsedNode("Objects/Meters/M1/Energy", "ns=2;i=11"))));

        assertThat(e.problems()).map(Problem::toString).containsExactly(
                "t.yaml:8:9: templates[0].registers[1].browse: browse path 'Objects/Meters/M1/Power' is not in the server's "
                        + "address space (meter=M1)");
        assertThat(unresolved.needsAddressSpace()).isTrue();
    }

    @Test
    void browsedMeterClashingWithAWrittenOne_isReportedWithBothPlaces() {
        String yaml = """
                meters:
                  - id: M1
                    registers:
                      - {node: "ns=2;i=11", quantity: 1-0:1.8.0, unit: kWh}
                """ + BROWSED.substring("templates:\n".length() - 1).replaceFirst("^", "templates:");

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> MappingFile.parse("p", yaml, "t.yaml", List.of(
                        new BrowsedNode("Objects/Meters/M1/Energy", "ns=2;i=11"),
                        new BrowsedNode("Objects/Meters/M1/Power", "ns=2;i=12"))));

        assertThat(e.problems()).map(Problem::toString).containsExactly(
                "t.yaml:7:5: templates[0].id: meter 'M1' (meter=M1) is already defined at meters[0] (line 2)",
                "t.yaml:9:9: templates[0].registers[0].browse: node ns=2;i=11 (meter=M1) is already mapped at "
                        + "meters[0].registers[0] (line 4)");
    }

    @Test
    void combinedFiles_resolveTogether_andNameTheOtherFileOfADuplicate() {
        Mapping first = MappingFile.parse("p", """
                meters:
                  - id: M9
                    registers:
                      - {node: "ns=2;i=12", quantity: 1-0:1.8.0, unit: kWh}
                """, "first.yaml");
        Mapping second = MappingFile.parse("p", BROWSED, "second.yaml");
        Mapping combined = Mapping.combine("p", List.of(first, second));

        assertThat(combined.needsAddressSpace()).isTrue();
        assertThat(combined.nodeIds()).containsExactly("ns=2;i=12");
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> combined.resolve(List.of(
                        new BrowsedNode("Objects/Meters/M1/Energy", "ns=2;i=11"),
                        new BrowsedNode("Objects/Meters/M1/Power", "ns=2;i=12"))));

        assertThat(e.problems()).map(Problem::toString).containsExactly(
                "second.yaml:8:9: templates[0].registers[1].browse: node ns=2;i=12 (meter=M1) is already mapped at "
                        + "first.yaml meters[0].registers[0] (line 4)");
    }

    /** The point of templates: a 5,000-meter site in a few lines. */
    @Test
    void fiveThousandMeters_fromAFewLines() {
        Mapping mapping = MappingFile.parse("p", """
                templates:
                  - for: {meter: {from: 1, to: 5000, format: "%04d"}}
                    id: "M{meter}"
                    account: "ACC-{meter}"
                    groups: [site-1]
                    registers:
                      - {node: "ns=2;s=M{meter}.Energy", quantity: 1-0:1.8.0, unit: kWh, source-unit: Wh, digits: 9}
                      - {node: "ns=2;s=M{meter}.EnergyT1", quantity: 1-0:1.8.1, unit: kWh, source-unit: Wh, digits: 9}
                      - {node: "ns=2;s=M{meter}.Power", quantity: 1-0:1.7.0, unit: kW, source-unit: W}
                """, "site.yaml");
        List<BrowsedNode> addressSpace = new ArrayList<>();
        for (int m = 1; m <= 5000; m++) {
            addressSpace.add(new BrowsedNode("Objects/Meters/B" + m + "/Energy", "ns=3;i=" + m));
        }
        Mapping browsed = MappingFile.parse("p", """
                templates:
                  - browse: "Objects/Meters/{meter}/Energy"
                    id: "{meter}"
                    registers:
                      - {browse: "Objects/Meters/{meter}/Energy", quantity: 1-0:1.8.0, unit: kWh}
                """, "browsed.yaml", addressSpace);

        assertThat(mapping.size()).isEqualTo(15_000);
        assertThat(mapping.meters()).hasSize(5000);
        assertThat(mapping.register("ns=2;s=M4999.Power").meter()).isEqualTo("M4999");
        assertThat(browsed.size()).isEqualTo(5000);
        assertThat(browsed.register("ns=3;i=4321").meter()).isEqualTo("B4321");
    }

    @Test
    void browsePrefixes_coverEveryBrowsePathOfTheMapping() {
        Mapping mapping = MappingFile.parse("p", """
                meters:
                  - id: M1
                    registers:
                      - {browse: "Objects/Plant/M1/Energy", quantity: 1-0:1.8.0, unit: kWh}
                templates:
                  - for: {n: [1, 2]}
                    id: "F{n}"
                    registers:
                      - {browse: "Objects/Feeders/F{n}/Energy", quantity: 1-0:1.8.0, unit: kWh}
                  - browse: "{area}/Energy"
                    id: "{area}"
                    registers:
                      - {browse: "{area}/Energy", quantity: 1-0:1.8.0, unit: kWh}
                """, "t.yaml");

        assertThat(mapping.browsePrefixes()).containsExactly("Objects/Plant/M1", "Objects/Feeders", "");
        assertThat(new Mapping("p", List.of()).browsePrefixes()).isEmpty();
    }
}
