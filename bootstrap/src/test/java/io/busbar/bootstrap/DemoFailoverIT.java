package io.busbar.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.demo.DemoServers;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.bootstrap.support.Series;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo's failover tour: stop the primary through the demo controls, watch health, check the file. */
class DemoFailoverIT {

    @TempDir
    Path dir;

    private SimulatedScadaServer primary;
    private SimulatedScadaServer secondary;
    private ConfigurableApplicationContext busbar;

    @AfterEach
    void stop() {
        if (busbar != null) {
            busbar.close();
        }
        primary.close();
        secondary.close();
    }

    @Test
    void stoppingThePrimary_secondaryActiveWithin3s_fileHasEverySecondOnce() throws Exception {
        primary = SimulatedScadaServer.builder().port(0).meterCount(3).build();
        secondary = SimulatedScadaServer.builder().port(0).meterCount(3).build();
        primary.start();
        secondary.start();
        Path config = DemoFiles.write(dir, primary.endpointUrl(), secondary.endpointUrl(), 3);
        busbar = BusbarApplication.start(ConfigFile.load(config), new DemoServers(primary, secondary), "--server.port=0");
        Http http = new Http(((WebServerApplicationContext) busbar).getWebServer().getPort());
        Path readings = dir.resolve(DemoFiles.READINGS);
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(readings).stream()
                .map(r -> r.sourceTime().getEpochSecond()).distinct().count() >= 3);
        JsonNode before = http.getJson("/actuator/health/redundancy");
        assertThat(before.path("status").asText()).isEqualTo("UP");
        assertThat(before.at("/details/pairs/demo/active").asText()).isEqualTo("primary");

        Instant stopped = Instant.now();
        assertThat(http.post("/demo/servers/primary/stop", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(3)).until(() ->
                http.getJson("/actuator/health/redundancy").at("/details/pairs/demo/active").asText().equals("secondary"));
        long failoverMs = Duration.between(stopped, Instant.now()).toMillis();
        System.out.printf("demo failover: secondary active on /actuator/health/redundancy %d ms after stop%n", failoverMs);

        JsonNode connector = http.getJson("/actuator/health/connector");
        assertThat(connector.at("/details/mode").asText()).isEqualTo("standalone");
        assertThat(connector.at("/details/pairs/demo/role").asText()).as("standalone forwards any active server")
                .isEqualTo("forwarding");

        JsonNode after = http.getJson("/actuator/health/redundancy");
        assertThat(after.path("status").asText()).as("standby down").isEqualTo("DEGRADED");
        assertThat(after.at("/details/pairs/demo/servers/primary/connected").asBoolean()).isFalse();
        assertThat(after.at("/details/pairs/demo/servers/primary/reason").asText()).isEqualTo("not connected");
        assertThat(after.at("/details/pairs/demo/lastSwitchover/from").asText()).isEqualTo("primary");
        long switchSecond = Instant.now().getEpochSecond();
        await().atMost(Duration.ofSeconds(15)).until(() -> ReadingsFile.read(readings).stream()
                .anyMatch(r -> r.server() == ServerRole.SECONDARY && r.sourceTime().getEpochSecond() >= switchSecond + 2));

        List<Reading> all = ReadingsFile.read(readings);
        Series.assertEachSecondExactlyOnce(all);
        assertThat(all).extracting(Reading::server).contains(ServerRole.PRIMARY, ServerRole.SECONDARY);

        JsonNode forced = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                http.post("/actuator/redundancy/demo", "{\"force\":\"auto\"}").body());
        assertThat(forced.path("forced").asText()).isEqualTo("auto");
        assertThat(http.post("/actuator/redundancy/demo", "{\"force\":\"sideways\"}").statusCode()).isEqualTo(400);
        assertThat(http.get("/actuator/redundancy/nosuchpair").statusCode()).isEqualTo(404);
    }
}
