package io.busbar.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.bootstrap.BusbarCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands that answer without starting Busbar: validate, schema, help, version. */
class CliTest {

    private static final Path DIR = Path.of("src/test/resources/cli");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int busbar(String... args) {
        return BusbarCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void validate_severalMistakes_exitsTwoAndNamesEachWithItsLine() {
        int code = busbar("validate", "--config", DIR.resolve("several-mistakes.yaml").toString());

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        List<String> lines = err.toString().lines().toList();
        String config = DIR.resolve("several-mistakes.yaml").toString();
        String mapping = DIR.resolve("mappings/syntax-error.yaml").toString();
        assertThat(lines).containsExactly(
                mapping + ":5:20: YAML syntax error: expected <block end>, but found '<scalar>' (a block mapping opened at 4:9)",
                config + ":5:7: sources.plant.primary.timeout: unknown key 'timeout'",
                config + ":14:15: routes[0].to[1]: unknown target 'historian' (defined: out)",
                "3 problem(s) found.");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void validate_validConfig_exitsZeroWithASummary() {
        int code = busbar("validate", "--config", DIR.resolve("valid.yaml").toString());

        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("valid (1 source pair(s), 1 target(s), 1 mapped node(s))");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void run_invalidConfig_exitsTwoBeforeStartingAnything() {
        int code = busbar("run", "--config", DIR.resolve("several-mistakes.yaml").toString());

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("3 problem(s) found.");
        assertThat(DIR.resolve("data")).doesNotExist();
    }

    @Test
    void unknownOption_isAUsageErrorWithExitTwo() {
        int code = busbar("validate", "--config", "x.yaml", "--konfig", "y.yaml");

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("Unknown options: '--konfig'").contains("Usage: busbar validate");
    }

    @Test
    void schema_printsTheConfigSchemaAsJson() throws Exception {
        assertThat(busbar("schema")).isZero();

        JsonNode schema = new ObjectMapper().readTree(out.toString());
        assertThat(schema.path("title").asText()).isEqualTo("Busbar configuration");
        assertThat(schema.path("properties").has("sources")).isTrue();
    }

    @Test
    void schemaMapping_printsTheMappingSchema() throws Exception {
        assertThat(busbar("schema", "--mapping")).isZero();

        assertThat(new ObjectMapper().readTree(out.toString()).path("title").asText()).isEqualTo("Busbar mapping file");
    }

    @Test
    void everyCommand_hasHelpWithExitCodes() {
        for (String command : List.of("run", "validate", "demo", "schema")) {
            out.getBuffer().setLength(0);
            assertThat(busbar(command, "--help")).as(command).isZero();
            assertThat(out.toString()).as(command).contains("Usage: busbar " + command).contains("Exit codes:");
        }
    }

    /** Each command's summary in the command list is one whole sentence, never a line cut mid-phrase. */
    @Test
    void help_listsEveryCommandWithOneCompleteLine() {
        assertThat(busbar("--help")).isZero();

        List<String> commandLines = out.toString().lines()
                .dropWhile(line -> !line.equals("Commands:")).skip(1)
                .takeWhile(line -> !line.isBlank())
                .toList();
        assertThat(commandLines).hasSizeGreaterThanOrEqualTo(9)
                .allSatisfy(line -> assertThat(line).matches("  [a-z]+ +[A-Z].*\\.$"));
    }

    @Test
    void version_namesBusbar() {
        assertThat(busbar("--version")).isZero();
        assertThat(out.toString()).startsWith("busbar ");
    }
}
