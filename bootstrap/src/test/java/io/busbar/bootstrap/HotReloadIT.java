package io.busbar.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.bootstrap.support.PlantConfig;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.bootstrap.support.Series;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A changed mapping file applies without a restart; an invalid change is rejected and shown. */
class HotReloadIT {

    private static final String ENERGY = """
            meters:
              - id: M1
                registers:
                  - node: "%s"
                    quantity: "1-0:1.8.0"
                    unit: kWh
                    scale: 0.001
            """;
    private static final String POWER = """
                  - node: "%s"
                    quantity: "1-0:1.7.0"
                    unit: kW
            """;

    @TempDir
    Path dir;

    @RegisterExtension
    final InProcessBusbar run = new InProcessBusbar();

    @Test
    void validChangeApplies_invalidChangeIsRejectedAndShown_streamContinues() throws Exception {
        SimulatedScadaServer server = run.server(1);
        Path config = PlantConfig.write(dir, server.endpointUrl(), ENERGY.formatted(SimulatedScadaServer.energyNodeId(1)));
        Path mapping = dir.resolve("mappings/plant.yaml");
        ConfigurableApplicationContext busbar = run.start(ConfigFile.load(config));
        Http http = new Http(((WebServerApplicationContext) busbar).getWebServer().getPort());
        Path out = dir.resolve(PlantConfig.OUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(out).size() >= 3);

        Files.writeString(mapping, ENERGY.formatted(SimulatedScadaServer.energyNodeId(1))
                + POWER.formatted(SimulatedScadaServer.powerNodeId(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(out).stream()
                .anyMatch(r -> r.quantity().equals("1-0:1.7.0")));

        Files.writeString(mapping, ENERGY.formatted(SimulatedScadaServer.energyNodeId(1)).replace("1-0:1.8.0", "energy"));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                http.getJson("/actuator/health/mappings").path("status").asText().equals("DEGRADED"));
        JsonNode health = http.getJson("/actuator/health/mappings");
        assertThat(health.at("/details/problems/0").asText())
                .contains("plant.yaml:5:").contains("must be an OBIS-like code");
        long before = ReadingsFile.read(out).stream().filter(r -> r.quantity().equals("1-0:1.7.0")).count();
        await().atMost(Duration.ofSeconds(15)).until(() -> ReadingsFile.read(out).stream()
                .filter(r -> r.quantity().equals("1-0:1.7.0")).count() > before + 2);
        Series.assertEachSecondExactlyOnce(ReadingsFile.read(out).stream()
                .filter(r -> r.quantity().equals("1-0:1.8.0")).toList());
        assertThat(ReadingsFile.read(out)).extracting(Reading::meter).containsOnly("M1");
    }
}
