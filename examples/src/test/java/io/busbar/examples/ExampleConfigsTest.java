package io.busbar.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.config.DeploymentPlan;
import io.busbar.connectors.target.sql.SqlDialect;
import io.busbar.routes.plan.BusbarPlan;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example configuration in this module must pass {@code busbar validate}. */
class ExampleConfigsTest {

    static List<Path> exampleConfigs() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("."), 3)) {
            List<Path> configs = files.filter(p -> p.getFileName().toString().equals("busbar.yaml"))
                    .filter(p -> !p.startsWith("./target") && !p.startsWith("./src"))
                    .sorted()
                    .toList();
            assertThat(configs).as("example configs found").hasSizeGreaterThanOrEqualTo(2);
            return configs;
        }
    }

    @ParameterizedTest
    @MethodSource("exampleConfigs")
    void exampleConfig_isValid(Path config) {
        assertThatCode(() -> ConfigFile.load(config)).doesNotThrowAnyException();
    }

    /** Subscribed and polled OPC UA pairs, Modbus TCP gateways and MQTT uplinks each have a valid example. */
    @Test
    void everySourceKind_hasAnExample() throws IOException {
        List<BusbarPlan> plans = exampleConfigs().stream().map(config -> ConfigFile.load(config).plan()).toList();
        List<ServerPlan> servers = plans.stream().flatMap(plan -> plan.pairs().stream()).map(SourcePairPlan::primary).toList();

        assertThat(servers).as("OPC UA subscription").anyMatch(s -> s.poll().isEmpty() && s.modbus().isEmpty());
        assertThat(servers).as("OPC UA polling").anyMatch(s -> s.poll().isPresent() && s.modbus().isEmpty());
        assertThat(servers).as("Modbus TCP gateways").anyMatch(s -> s.modbus().isPresent());
        assertThat(plans).as("MQTT uplinks").anyMatch(plan -> !plan.uplinks().isEmpty());
    }

    @Test
    void everyDeploymentMode_hasAnExample() throws IOException {
        List<DeploymentPlan.Mode> modes = exampleConfigs().stream()
                .filter(config -> config.startsWith("./deployment-modes"))
                .map(config -> ConfigFile.load(config).deployment().mode()).distinct().toList();

        assertThat(modes).containsExactlyInAnyOrder(DeploymentPlan.Mode.values());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void historianExampleTables_areTheOnesBusbarCreates(SqlDialect dialect) throws IOException {
        Path example = Path.of("historian-sql", "schema-" + dialect.name().toLowerCase(Locale.ROOT) + ".sql");

        assertThat(Files.readString(example)).as(example + " for a table named readings").isEqualTo(dialect.ddl("readings"));
    }
}
