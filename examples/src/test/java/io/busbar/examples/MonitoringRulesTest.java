package io.busbar.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.BusbarApplication;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The Prometheus alert rules in examples/monitoring ask only for metrics a running Busbar exports. */
class MonitoringRulesTest {

    static final Path RULES = Path.of("monitoring", "busbar-alerts.yml");
    private static final Pattern METRIC = Pattern.compile("\\bbusbar_[a-z0-9_]+");

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
        if (primary != null) {
            primary.close();
            secondary.close();
        }
    }

    @Test
    void everyMetricTheRulesUse_isExportedByARunningBusbar() throws Exception {
        Set<String> used = metricsIn(Files.readString(RULES));
        assertThat(used).as("metric names in " + RULES).hasSizeGreaterThanOrEqualTo(5);

        primary = SimulatedScadaServer.builder().port(0).meterCount(2).build();
        secondary = SimulatedScadaServer.builder().port(0).meterCount(2).build();
        primary.start();
        secondary.start();
        Path config = DemoFiles.write(dir, primary.endpointUrl(), secondary.endpointUrl(), 2);
        busbar = BusbarApplication.start(ConfigFile.load(config), "--server.port=0");
        int port = ((WebServerApplicationContext) busbar).getWebServer().getPort();
        // a pair registers its metrics when it runs; its runtime starts once a server could be browsed
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape(port).contains("busbar_redundancy_active{"));

        Set<String> exported = scrape(port).lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(exported).as("metrics on /actuator/prometheus").containsAll(used);
    }

    static Set<String> metricsIn(String rules) {
        Set<String> names = new TreeSet<>();
        for (String line : rules.lines().filter(l -> l.trim().startsWith("expr:")).toList()) {
            Matcher matcher = METRIC.matcher(line);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
