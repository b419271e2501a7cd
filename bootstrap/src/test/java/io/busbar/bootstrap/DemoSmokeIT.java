package io.busbar.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.mappings.model.Reading;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code busbar demo} as a user runs it: its own JVM, then readings and health within seconds. */
class DemoSmokeIT {

    /** The one warning a demo start is meant to show: it runs without a management password. */
    private static final String OPEN_PORT_WARNING = "The management endpoints (health details, metrics";

    @TempDir
    Path dir;

    private Process demo;

    @AfterEach
    void stopDemo() throws InterruptedException {
        if (demo != null && demo.isAlive()) {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void demo_writesReadingsAndAnswersHealth_thenStopsCleanly() throws Exception {
        int httpPort = FreePorts.next();
        Path out = dir.resolve("demo");
        Path log = dir.resolve("demo.log");
        demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BusbarCli.class.getName(),
                "demo", "--out", out.toString(), "--port", String.valueOf(httpPort),
                "--primary-port", String.valueOf(FreePorts.next()), "--secondary-port", String.valueOf(FreePorts.next()),
                "--meters", "5")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        Path readings = out.resolve("readings.jsonl");
        // a JVM of its own: on a loaded two-core machine Spring alone took 40 s to start
        await().atMost(Duration.ofSeconds(120)).until(() -> ReadingsFile.read(readings).size() >= 10);
        List<Reading> first = ReadingsFile.read(readings);
        assertThat(first).extracting(Reading::pair).containsOnly("demo");
        assertThat(first).extracting(Reading::meter).contains("Meter001");
        assertThat(first).extracting(Reading::unit).contains("kWh", "kW");
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(Files.readString(log)).contains("Busbar demo", out.resolve("readings.jsonl").toString(),
                "http://localhost:" + httpPort + "/actuator/health");
        assertThat(warnings(log)).as("WARN lines at a normal start, but the open management port")
                .allMatch(line -> line.contains(OPEN_PORT_WARNING)).hasSize(1);

        demo.destroy(); // SIGTERM: graceful shutdown
        assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("demo stopped within 30 s").isTrue();
        assertThat(Files.readString(log)).doesNotContain("Exception in thread");
    }

    private static List<String> warnings(Path log) throws java.io.IOException {
        return Files.readAllLines(log).stream().filter(line -> line.matches(".*\\sWARN\\s.*")).toList();
    }
}
