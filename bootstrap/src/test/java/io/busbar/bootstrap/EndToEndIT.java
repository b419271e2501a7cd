package io.busbar.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.PlantConfig;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real OPC UA server → Busbar (mapping, embedded durable buffer) → JSON-lines file target. */
class EndToEndIT {

    private static final int METERS = 3;

    @TempDir
    Path dir;

    private SimulatedScadaServer server;
    private ConfigurableApplicationContext busbar;

    @BeforeEach
    void startServer() {
        server = SimulatedScadaServer.builder().port(0).meterCount(METERS).build();
        server.start();
    }

    @AfterEach
    void stop() {
        if (busbar != null) {
            busbar.close();
        }
        server.close();
    }

    @Test
    void readingsFlowFromServerToFile_scaledKeyedAndExactlyOnce() throws Exception {
        Path configFile = PlantConfig.write(dir, server.endpointUrl(), "publishing-interval: 200ms", """
                meters:
                  - id: M1
                    registers:
                      - node: "%s"
                        quantity: "1-0:1.8.0"
                        unit: kWh
                        scale: 0.001
                        offset: 100
                      - node: "%s"
                        quantity: "1-0:1.7.0"
                        unit: kW
                """.formatted(SimulatedScadaServer.energyNodeId(1), SimulatedScadaServer.powerNodeId(1)));
        CompiledConfig config = ConfigFile.load(configFile);

        busbar = BusbarApplication.start(config, "--server.port=0");

        Path out = dir.resolve(PlantConfig.OUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(out).stream()
                .map(Reading::quantity).distinct().count() == 2 && ReadingsFile.read(out).size() >= 6);
        List<Reading> readings = ReadingsFile.read(out);

        for (Reading r : readings) {
            long second = r.sourceTime().getEpochSecond();
            assertThat(r.pair()).isEqualTo("plant");
            assertThat(r.server()).isEqualTo(ServerRole.PRIMARY);
            assertThat(r.meter()).isEqualTo("M1");
            assertThat(r.quality()).isEqualTo(Quality.GOOD);
            assertThat(r.key()).isEqualTo("plant/M1/" + r.quantity() + "/" + r.sourceTime());
            if (r.quantity().equals("1-0:1.8.0")) {
                BigDecimal raw = BigDecimal.valueOf(SimulatedScadaServer.energyWh(1, second));
                assertThat(r.unit()).isEqualTo("kWh");
                assertThat(r.raw()).isEqualByComparingTo(raw);
                assertThat(r.value()).isEqualByComparingTo(raw.multiply(new BigDecimal("0.001")).add(BigDecimal.valueOf(100)));
            } else {
                assertThat(r.unit()).isEqualTo("kW");
                assertThat(r.value()).isEqualByComparingTo(BigDecimal.valueOf(SimulatedScadaServer.powerKw(1, second)));
            }
        }
        assertThat(readings.stream().collect(Collectors.groupingBy(Reading::key, Collectors.counting())))
                .as("each key once").allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        assertThat(readings.stream().map(Reading::sourceTime).distinct().count()).as("several seconds").isGreaterThan(1);

        assertThat(Files.list(config.bufferDataDir().resolve("journal")).map(p -> p.getFileName().toString()))
                .as("durable journal on disk").anyMatch(name -> name.endsWith(".amq"));
        int port = ((WebServerApplicationContext) busbar).getWebServer().getPort();
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"")
                .contains("\"redundancy\"", "\"targets\"", "\"buffer\"", "\"queuedBatches\"");
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("busbar_target_delivered_total{application=\"busbar\",target=\"out\"}");
    }

    @Test
    void browseTemplate_isResolvedAtStart_everySimulatedMeterDelivers() throws Exception {
        Path configFile = PlantConfig.write(dir, server.endpointUrl(), """
                templates:
                  - browse: "Objects/Meters/{meter}/Energy"
                    id: "{meter}"
                    registers:
                      - browse: "Objects/Meters/{meter}/Energy"
                        quantity: "1-0:1.8.0"
                        source-unit: Wh
                        unit: kWh
                """);

        busbar = BusbarApplication.start(ConfigFile.load(configFile), "--server.port=0");

        Path out = dir.resolve(PlantConfig.OUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(out).stream()
                .map(Reading::meter).distinct().count() == METERS);
        Reading first = ReadingsFile.read(out).get(0);
        long second = first.sourceTime().getEpochSecond();
        int meter = Integer.parseInt(first.meter().replace("Meter", ""));
        assertThat(first.unit()).isEqualTo("kWh");
        assertThat(first.value()).isEqualByComparingTo(
                BigDecimal.valueOf(SimulatedScadaServer.energyWh(meter, second)).movePointLeft(3));
    }
}
