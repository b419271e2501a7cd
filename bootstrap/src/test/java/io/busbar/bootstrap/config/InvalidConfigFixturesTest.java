package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.busbar.bootstrap.BusbarCli;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import io.busbar.mappings.yaml.SchemaCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every invalid configuration fixture gives exactly the problems recorded in
 * {@code invalid-fixtures.problems}, and the schema {@code busbar schema} prints is the one the
 * validation applies: whatever produces the schema (written or generated), these stay as they are.
 *
 * <p>After a deliberate change of a message, rewrite the record with
 * {@code -Dbusbar.fixtures.record=true} and review its diff.
 */
class InvalidConfigFixturesTest {

    private static final Path RESOURCES = Path.of("src/test/resources");
    private static final Path RECORD = RESOURCES.resolve("config/invalid-fixtures.problems");

    /** The invalid configuration files of the tests (mapping files are reached through them). */
    private static List<Path> fixtures() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(RESOURCES.resolve("config")), Files.walk(RESOURCES.resolve("cli")))) {
            return files.filter(f -> f.getFileName().toString().matches("invalid.*\\.yaml|several-mistakes\\.yaml"))
                    .sorted().toList();
        }
    }

    /** The problems of one fixture, as {@code busbar validate} prints them, with no environment variable set. */
    private static List<String> problemsOf(Path fixture) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> ConfigFile.load(fixture, name -> null));
        assertThat(e).as(fixture + " is invalid").isNotNull();
        String moduleDir = Path.of("").toAbsolutePath().toString();
        return e.problems().stream().map(p -> p.toString().replace(moduleDir, "<module>")).toList();
    }

    private static String record(List<Path> fixtures) {
        StringBuilder out = new StringBuilder();
        for (Path fixture : fixtures) {
            out.append("== ").append(fixture).append('\n');
            problemsOf(fixture).forEach(line -> out.append(line).append('\n'));
        }
        return out.toString();
    }

    @Test
    void everyInvalidFixture_givesTheRecordedProblems() throws IOException {
        List<Path> fixtures = fixtures();
        String actual = record(fixtures);
        if (Boolean.getBoolean("busbar.fixtures.record")) {
            Files.writeString(RECORD, actual, StandardCharsets.UTF_8);
        }

        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(20);
        assertThat(actual).isEqualTo(Files.readString(RECORD, StandardCharsets.UTF_8));
    }

    @Test
    void busbarSchema_printsTheSchemaTheValidationApplies() throws IOException {
        StringWriter out = new StringWriter();
        int code = BusbarCli.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "schema");
        SchemaCheck printed = SchemaCheck.of(out.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo(ConfigFile.schema().schemaText());
        for (Path fixture : fixtures()) {
            List<Problem> bySchema = new ArrayList<>();
            try {
                bySchema.addAll(printed.check(LocatedDocument.read(fixture, fixture.toString())));
            } catch (InvalidConfigurationException syntaxError) {
                continue; // no schema applies to a file that does not parse
            }
            List<Problem> byValidation = catchThrowableOfType(InvalidConfigurationException.class,
                    () -> ConfigFile.load(fixture, name -> null)).problems();
            assertThat(byValidation).as(fixture.toString()).containsAll(bySchema);
        }
    }
}
