package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Secured connections: explicit trust of the server certificate, user name login, no secret in logs. */
class OpcUaSourceSecurityTest extends SecuredServerTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String PASSWORD = "s3cret-Pa55";

    OpcUaSourceSecurityTest() {
        super(SimulatedScadaServer.builder().applicationName("secured").user("operator", PASSWORD));
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
        await().atMost(TIMEOUT).until(() -> logs.messages(null).stream().anyMatch(message -> message.contains("is not trusted")
                && message.contains("busbar pki trust")));
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTING);

        Files.write(pki.resolve("trusted/certs/simulator.der"), server.serverCertificate().orElseThrow().getEncoded());

        await().atMost(TIMEOUT).until(() -> !collector.samples().isEmpty());
        assertThat(Files.exists(pki.resolve("own/busbar-client.p12"))).isTrue();
        assertThat(logs.messages(null)).noneMatch(message -> message.contains(PASSWORD));
    }

    @Test
    void wrongPasswordKeepsRetryingWithoutLoggingThePassword() {
        OpcUaSource source = sources.start(ServerRole.SECONDARY, TestSources.fastOptions(server.endpointUrl())
                .credentials("operator", "not-" + PASSWORD).build());

        await().atMost(TIMEOUT).until(() -> logs.messages(null).stream().anyMatch(m -> m.contains("cannot connect")));
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(logs.messages(null)).noneMatch(message -> message.contains(PASSWORD));
    }

    private static long filesIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }
}
