package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A compiled mapping keeps its registers, not the parsed file: at 100,000 written-out registers the
 * document (a JSON tree and a position for every key) was two thirds of what the mapping held. What
 * a later problem needs (a node mapped again by another file of the pair) is kept in a small form.
 */
class MappingRetentionTest {

    private static final String FIRST = """
            meters:
              - id: M1
                registers:
                  - node: "ns=2;i=11"
                    quantity: "1-0:1.8.0"
                    unit: kWh
            """;

    private static final String SECOND = """
            meters:
              - id: M2
                registers:
                  - node: "ns=2;i=12"
                    quantity: "1-0:1.8.0"
                    unit: kWh
                  - node: "ns=2;i=11"
                    quantity: "1-0:1.7.0"
                    unit: kW
            """;

    @Test
    void writtenOutMeters_documentLetGo_duplicateAcrossFilesStillLocatedInBoth() {
        WeakReference<LocatedDocument> firstDocument = new WeakReference<>(LocatedDocument.parse(FIRST, "first.yaml"));
        Mapping first = Mapping.fromFile("p", firstDocument.get(), MappingCompiler.compile(firstDocument.get(), null));
        Mapping second = MappingFile.parse("p", SECOND, "second.yaml");

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return firstDocument.get() == null;
        });
        assertThat(first.nodeIds()).containsExactly("ns=2;i=11");
        assertThatThrownBy(() -> Mapping.combine("p", List.of(first, second)))
                .isInstanceOf(InvalidConfigurationException.class)
                .extracting(e -> ((InvalidConfigurationException) e).problems().stream().map(Problem::toString).toList())
                .isEqualTo(List.of("second.yaml:7:9: meters[0].registers[1].node: node ns=2;i=11 is already mapped at "
                        + "first.yaml meters[0].registers[0] (line 4)"));
    }

    @Test
    void browsePaths_documentKeptUntilResolved() {
        LocatedDocument document = LocatedDocument.parse("""
                meters:
                  - id: M1
                    registers:
                      - browse: "Objects/Meters/M1/Energy"
                        quantity: "1-0:1.8.0"
                        unit: kWh
                """, "browsed.yaml");
        WeakReference<LocatedDocument> held = new WeakReference<>(document);
        Mapping mapping = Mapping.fromFile("p", document, MappingCompiler.compile(document, null));
        document = null;

        System.gc();
        assertThat(held.get()).as("the document a later browse compiles again").isNotNull();
        assertThat(mapping.resolve(List.of(new io.busbar.mappings.model.BrowsedNode("Objects/Meters/M1/Energy", "ns=2;i=7")))
                .nodeIds()).containsExactly("ns=2;i=7");
    }

    @Test
    void combinedWithoutBrowsePaths_keepsNoNodeOrigins_withBrowsePathsKeepsThem() {
        Mapping written = Mapping.combine("p", List.of(MappingFile.parse("p", FIRST, "first.yaml"),
                MappingFile.parse("p", SECOND.replace("ns=2;i=11", "ns=2;i=13"), "second.yaml")));
        assertThat(written.nodeIds()).containsExactly("ns=2;i=11", "ns=2;i=12", "ns=2;i=13");
        assertThat(written.register("ns=2;i=13").quantity()).isEqualTo("1-0:1.7.0");
        assertThat(written.nodeOriginsKept()).as("complete and checked: nothing left to locate").isZero();

        Mapping browsed = Mapping.combine("p", List.of(MappingFile.parse("p", FIRST, "first.yaml"),
                MappingFile.parse("p", """
                        meters:
                          - id: M2
                            registers:
                              - browse: "Objects/Meters/M2/Energy"
                                quantity: "1-0:1.8.0"
                                unit: kWh
                        """, "browsed.yaml")));
        assertThat(browsed.nodeOriginsKept()).as("resolving may find a node mapped twice").isPositive();
        assertThatThrownBy(() -> browsed.resolve(List.of(
                new io.busbar.mappings.model.BrowsedNode("Objects/Meters/M2/Energy", "ns=2;i=11"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("first.yaml");
    }
}
