package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** Secured connections: explicit trust of the server certificate, user name login, no secret in logs. */
class OpcUaSourceSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String PASSWORD = "s3cret-Pa55";

    private final TestSources sources = new TestSources();
    private final SimulatedScadaServer server = SimulatedScadaServer.builder()
            .applicationName("secured").meterCount(1).secured(true).user("operator", PASSWORD).build();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @TempDir
    Path pki;

    @BeforeEach
    void startServerAndCaptureLogs() {
        logs.start();
        rootLogger().addAppender(logs);
        server.start();
    }

    @AfterEach
    void stopAll() {
        sources.stopAll();
        server.stop();
        rootLogger().detachAppender(logs);
    }

    @ParameterizedTest
    @EnumSource(value = OpcUaSecurityPolicy.class, names = {"BASIC256SHA256", "AES256_SHA256_RSAPSS"})
    void connectsOnlyOnceTheServerCertificateIsTrusted(OpcUaSecurityPolicy policy) throws Exception {
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(server.endpointUrl())
                .securityPolicy(policy).pkiDirectory(pki).credentials("operator", PASSWORD).build());
        source.subscribe(List.of(energyNodeId(1)), collector);

        await().atMost(TIMEOUT).until(() -> filesIn(pki.resolve("rejected")) > 0);
        // the warning follows the rejected file on another thread: wait for it rather than race it
        await().atMost(TIMEOUT).until(() -> loggedMessages().stream().anyMatch(message -> message.contains("is not trusted")
                && message.contains("busbar pki trust")));
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTING);

        Files.write(pki.resolve("trusted/certs/simulator.der"), server.serverCertificate().orElseThrow().getEncoded());

        await().atMost(TIMEOUT).until(() -> !collector.samples().isEmpty());
        assertThat(Files.exists(pki.resolve("own/busbar-client.p12"))).isTrue();
        assertThat(loggedMessages()).noneMatch(message -> message.contains(PASSWORD));
    }

    @Test
    void wrongPasswordKeepsRetryingWithoutLoggingThePassword() {
        OpcUaSource source = sources.start(ServerRole.SECONDARY, TestSources.fastOptions(server.endpointUrl())
                .credentials("operator", "not-" + PASSWORD).build());

        await().atMost(TIMEOUT).until(() -> loggedMessages().stream().anyMatch(m -> m.contains("cannot connect")));
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(loggedMessages()).noneMatch(message -> message.contains(PASSWORD));
    }

    private List<String> loggedMessages() {
        synchronized (logs) { // the appender appends while holding its own lock
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static long filesIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
