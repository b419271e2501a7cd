package io.busbar.bootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.bootstrap.BusbarCli;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code busbar run ... --logging.structured.format.console=ecs} in its own JVM, as an operator
 * starts it: every console line is one ECS JSON object, and no secret reaches the log.
 */
class JsonLogsIT {

    private static final String MANAGEMENT_PASSWORD = "mgmt-Secret-4711";
    private static final String OPCUA_PASSWORD = "opcua-Secret-0815";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Process busbar;

    @AfterEach
    void stop() throws InterruptedException {
        if (busbar != null && busbar.isAlive()) {
            busbar.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ecsSwitch_writesOneJsonObjectPerLine_withoutSecrets() throws Exception {
        // no server listens there: the start also logs failed connection attempts with the credentials' owner
        Path config = DemoFiles.write(dir, "opc.tcp://127.0.0.1:" + FreePorts.next(), "opc.tcp://127.0.0.1:" + FreePorts.next(), 2);
        Files.writeString(config, Files.readString(config).replaceFirst("(?m)^(    primary:\\n)",
                "$1      security:\n        username: busbar\n        password: \\${BUSBAR_TEST_OPCUA_PASSWORD}\n"));
        Path log = dir.resolve("busbar.log");
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), BusbarCli.class.getName(),
                "run", "--config", config.toString(), "--server.port=" + FreePorts.next(),
                "--logging.structured.format.console=ecs",
                // the test classpath also holds the connectors' logback-test.xml, which would win;
                // busbar.jar has only this one
                "--logging.config=classpath:logback.xml")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().put("BUSBAR_MANAGEMENT_PASSWORD", MANAGEMENT_PASSWORD);
        command.environment().put("BUSBAR_TEST_OPCUA_PASSWORD", OPCUA_PASSWORD);
        busbar = command.start();

        // its own JVM on a loaded two-core machine: Spring alone has taken 40 s to start
        try {
            await().atMost(Duration.ofSeconds(150)).failFast("busbar exited", () -> !busbar.isAlive())
                    .until(() -> lines(log).stream().anyMatch(l -> l.contains("Started BusbarCli")));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("busbar did not start; its log:\n" + String.join("\n", lines(log)), e);
        }
        busbar.destroy();
        busbar.waitFor(30, TimeUnit.SECONDS);

        List<String> lines = lines(log).stream().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("log lines").hasSizeGreaterThan(3);
        for (String line : lines) {
            assertThat(line).as("a log line").startsWith("{").endsWith("}");
            JsonNode event = JSON.readTree(line);
            assertThat(event.path("@timestamp").asText()).as(line).isNotEmpty();
            Instant.parse(event.path("@timestamp").asText());
            assertThat(event.at("/log/level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(event.at("/log/logger").asText()).as(line).isNotEmpty();
            assertThat(event.at("/service/name").asText()).as(line).isEqualTo("busbar");
            assertThat(event.at("/ecs/version").asText()).as(line).isNotEmpty();
            assertThat(event.has("message")).as(line).isTrue();
        }
        assertThat(lines).anySatisfy(line -> assertThat(JSON.readTree(line).path("message").asText()).startsWith("Started BusbarCli"));
        assertThat(String.join("\n", lines)).doesNotContain(MANAGEMENT_PASSWORD).doesNotContain(OPCUA_PASSWORD);
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
