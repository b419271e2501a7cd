package io.busbar.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The monitoring kit in examples/monitoring (Prometheus alert rules, Grafana dashboard) asks only
 * for metrics a running Busbar exports. One Busbar serves both checks.
 */
class MonitoringRulesTest {

    static final Path RULES = Path.of("monitoring", "busbar-alerts.yml");
    static final Path DASHBOARD = Path.of("monitoring", "busbar-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bbusbar_[a-z0-9_]+");

    @TempDir
    static Path dir;

    private static SimulatedScadaServer primary;
    private static SimulatedScadaServer secondary;
    private static ConfigurableApplicationContext busbar;
    private static String scraped;

    @BeforeAll
    static void startBusbar() throws Exception {
        primary = SimulatedScadaServer.builder().port(0).meterCount(2).build();
        secondary = SimulatedScadaServer.builder().port(0).meterCount(2).build();
        primary.start();
        secondary.start();
        Path config = DemoFiles.write(dir, primary.endpointUrl(), secondary.endpointUrl(), 2);
        busbar = BusbarApplication.start(ConfigFile.load(config), "--server.port=0");
        int port = ((WebServerApplicationContext) busbar).getWebServer().getPort();
        // a pair registers its metrics when it runs; its runtime starts once a server could be browsed
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape(port).contains("busbar_redundancy_active{"));
        scraped = scrape(port);
    }

    @AfterAll
    static void stop() {
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
        Set<String> used = new TreeSet<>();
        Files.readString(RULES).lines().filter(l -> l.trim().startsWith("expr:")).forEach(expr -> used.addAll(metricsIn(expr)));
        assertThat(used).as("metric names in " + RULES).hasSizeGreaterThanOrEqualTo(5);
        assertThat(exported()).as("metrics on /actuator/prometheus").containsAll(used);
    }

    @Test
    void everyMetricTheDashboardQueries_isExportedByARunningBusbar() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> used = new TreeSet<>();
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
        dashboard.path("templating").path("list").forEach(variable -> queries.add(variable.path("definition").asText()));
        queries.forEach(query -> used.addAll(metricsIn(query)));

        assertThat(dashboard.path("panels")).as("panels of " + DASHBOARD).hasSizeGreaterThanOrEqualTo(10);
        assertThat(used).as("metric names in " + DASHBOARD).hasSizeGreaterThanOrEqualTo(15)
                .contains("busbar_target_latency_seconds_bucket", "busbar_build_info", "busbar_target_queue_depth_batches");
        assertThat(exported()).as("metrics on /actuator/prometheus").containsAll(used);
        // buckets, which add up across instances, not quantiles computed in each instance
        assertThat(scraped).contains("# TYPE busbar_target_latency_seconds histogram")
                .doesNotContain("busbar_target_latency_seconds{application=\"busbar\",quantile=");
    }

    private static Set<String> exported() {
        return scraped.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> metricsIn(String query) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(query);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
