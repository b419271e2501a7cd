package io.busbar.mappings.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

class LocatedDocumentTest {

    private static final String YAML = """
            sources:
              plant:
                primary:
                  endpoint: opc.tcp://10.0.0.1:4840
                scale: 0.0010
                list:
                  - a
                  - key/with~odd: 1
            """;

    @Test
    void everyKeyAndItem_knowsItsLineAndColumn() {
        LocatedDocument document = LocatedDocument.parse(YAML, "busbar.yaml");

        assertThat(document.positionOf("/sources")).isEqualTo(new Position(1, 1));
        assertThat(document.positionOf("/sources/plant/primary/endpoint")).isEqualTo(new Position(4, 7));
        assertThat(document.positionOf("/sources/plant/list/0")).isEqualTo(new Position(7, 9));
        assertThat(document.positionOf("/sources/plant/list/1/key~1with~0odd")).isEqualTo(new Position(8, 9));
    }

    @Test
    void missingKey_isLocatedAtItsNearestParent() {
        LocatedDocument document = LocatedDocument.parse(YAML, "busbar.yaml");

        assertThat(document.problemAt("/sources/plant/secondary", "missing").toString())
                .isEqualTo("busbar.yaml:2:3: sources.plant.secondary: missing");
    }

    @Test
    void decimals_stayExact() {
        LocatedDocument document = LocatedDocument.parse(YAML, "busbar.yaml");

        assertThat(document.root().at("/sources/plant/scale").decimalValue().toString()).isEqualTo("0.0010");
    }

    @Test
    void dottedPath_showsIndexesInBrackets() {
        assertThat(LocatedDocument.dottedPath("/sources/plant/registers/0/node")).isEqualTo("sources.plant.registers[0].node");
        assertThat(LocatedDocument.dottedPath("")).isEmpty();
        assertThat(LocatedDocument.pointerSegment("a/b~c")).isEqualTo("/a~1b~0c");
        assertThat(LocatedDocument.dottedPath("/a~1b~0c")).isEqualTo("a/b~c");
    }

    @Test
    void emptyText_isAnEmptyObject() {
        LocatedDocument document = LocatedDocument.parse("", "empty.yaml");

        assertThat(document.root().isObject()).isTrue();
        assertThat(document.root().size()).isZero();
        assertThat(document.positionOf("/anything")).isEqualTo(Position.UNKNOWN);
    }

    @Test
    void nonScalarKey_isAProblemAtTheKey() {
        assertThat(problems("a:\n  ? [x]\n  : 1\n", "k.yaml"))
                .isEqualTo("k.yaml:2:5: a: keys must be plain names, not lists or maps");
    }

    @Test
    void duplicateKeys_areAllReported() {
        assertThat(problems("a: 1\nb: 2\na: 3\nb: 4\n", "d.yaml"))
                .isEqualTo("d.yaml:3:1: a: duplicate key 'a'\nd.yaml:4:1: b: duplicate key 'b'");
    }

    @Test
    void secondDocument_saysThatOneIsExpected() {
        assertThat(problems("meters: []\n---\nmeters: []\n", "two.yaml"))
                .isEqualTo("two.yaml:2:1: YAML syntax error: expected a single document in the stream, but found another document");
    }

    @Test
    void unclosedFlowSequence_namesWhereItOpened() {
        assertThat(problems("meters:\n  - id: M1\n    tags: [a, b\n", "open.yaml"))
                .startsWith("open.yaml:4:1: YAML syntax error: ")
                .endsWith("(a flow sequence opened at 3:11)");
    }

    @Test
    void unclosedQuote_namesWhereItOpened() {
        assertThat(problems("meters:\n  - id: \"M1\n", "quote.yaml"))
                .endsWith("(a quoted scalar opened at 2:9)");
    }

    @Test
    void tabIndentation_isASyntaxErrorOnItsLine() {
        assertThat(problems("meters:\n\t- id: M1\n", "tab.yaml"))
                .startsWith("tab.yaml:2:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token.");
    }

    /** Regression: SnakeYAML's reader error was reported at 0:0 although it knows where the character is. */
    @Test
    void controlCharacter_isReportedWhereItIs() {
        assertThat(problems("meters:\n  - id: M\u00e4\u0001\n", "ctl.yaml"))
                .isEqualTo("ctl.yaml:2:11: YAML syntax error: character U+0001 is not allowed");
    }

    /** Regression: "&a [*a, *a]" doubled the work at each of 64 levels, i.e. never finished. */
    @Test
    void recursiveAlias_isAProblem_notAHang() {
        String shown = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> problems("meters: &a [*a, *a]\n", "loop.yaml"));

        assertThat(shown).isEqualTo("""
                loop.yaml:1:9: meters[0]: an alias refers to a value that contains it
                loop.yaml:1:9: meters[1]: an alias refers to a value that contains it""");
    }

    /** Regression: 90 aliases (under SnakeYAML's limit of 100) expanded to a billion values. */
    @Test
    void billionLaughs_isCutShort() {
        StringJoiner yaml = new StringJoiner("\n");
        yaml.add("l0: &l0 [x, x, x, x, x, x, x, x, x, x]");
        for (int level = 1; level <= 9; level++) {
            String previous = "*l" + (level - 1);
            yaml.add("l" + level + ": &l" + level + " [" + String.join(", ", java.util.Collections.nCopies(10, previous)) + "]");
        }

        String shown = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> problems(yaml.toString(), "lol.yaml"));

        assertThat(shown).startsWith("lol.yaml:").contains(": aliases expand to more than 100000 values").doesNotContain("\n");
    }

    @Test
    void aliasToAScalar_givesItsValue() {
        LocatedDocument document = LocatedDocument.parse("a: &u kWh\nb: *u\n", "alias.yaml");

        assertThat(document.root().get("b").asText()).isEqualTo("kWh");
    }

    @Test
    void yaml11Forms_stayTextForTheSchemaToJudge() {
        LocatedDocument document = LocatedDocument.parse("hex: 0x1F\ninf: .inf\nsexagesimal: 1:20\non: yes\n", "y.yaml");

        assertThat(document.root().get("hex").isTextual()).isTrue();
        assertThat(document.root().get("inf").isTextual()).isTrue();
        assertThat(document.root().get("sexagesimal").isTextual()).isTrue();
        assertThat(document.root().get("on").asBoolean()).isTrue();
    }

    private static String problems(String yaml, String file) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> LocatedDocument.parse(yaml, file));
        assertThat(e).as("expected problems").isNotNull();
        return e.getMessage();
    }
}
