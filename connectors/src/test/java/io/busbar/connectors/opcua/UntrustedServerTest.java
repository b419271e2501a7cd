package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A secured server whose certificate nobody trusted yet: refused without an ERROR, explained in one
 * WARN line per server (not per retry nor per client), and connected once trusted the way {@code
 * busbar pki trust} does it, without a restart.
 */
class UntrustedServerTest extends SecuredServerTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    UntrustedServerTest() {
        super(SimulatedScadaServer.builder().applicationName("untrusted"));
    }

    @Test
    void untrustedServer_oneWarnNamingTheCommand_thenTrusted_connects() throws Exception {
        String thumbprint = TrustList.thumbprint(server.serverCertificate().orElseThrow());
        OpcUaSourceOptions options = TestSources.fastOptions(server.endpointUrl())
                .securityPolicy(OpcUaSecurityPolicy.BASIC256SHA256).pkiDirectory(pki).build();
        SampleCollector collector = new SampleCollector();
        OpcUaSource source = sources.start(ServerRole.PRIMARY, options);
        source.subscribe(List.of(energyNodeId(1)), collector);

        await().atMost(TIMEOUT).until(() -> !warningsAbout(thumbprint).isEmpty());
        String warning = warningsAbout(thumbprint).get(0);
        assertThat(warning)
                .startsWith("OPC UA server " + server.endpointUrl() + " is not trusted: its certificate"
                        + " \"CN=Busbar SCADA simulator, O=Busbar\" (SHA-1 thumbprint " + thumbprint + ", valid until ")
                .contains(") was saved in " + pki.toAbsolutePath().normalize().resolve("rejected") + ";")
                .endsWith("; if it is the right server, trust it with: busbar pki trust " + thumbprint
                        + " --pki-dir " + pki.toAbsolutePath().normalize());

        // a second client of the same server, as every retry of a browse makes one, is refused too: no second line
        OpcUaSource again = sources.start(ServerRole.SECONDARY, options);
        await().atMost(TIMEOUT).until(() -> logs.messages(Level.INFO).stream().anyMatch(m -> m.startsWith("SECONDARY")
                && m.contains("cannot connect (Bad_CertificateUntrusted")));
        assertThat(warningsAbout(thumbprint)).hasSize(1);
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(again.connectionState()).isEqualTo(ConnectionState.CONNECTING);

        // Milo's quarantine writes the rejected certificate on its own thread, possibly after the refusal was logged
        TrustList trustList = TrustList.of(pki);
        TrustList.Entry rejected = await().atMost(TIMEOUT).until(() -> trustList.list().entries().stream()
                .filter(entry -> entry.thumbprint().equals(thumbprint)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(rejected.state()).isEqualTo(TrustList.State.REJECTED);
        trustList.trust(rejected);

        await().atMost(TIMEOUT).until(() -> !collector.samples().isEmpty());
        assertThat(logs.messages(Level.ERROR)).as("an expected refusal is no error").isEmpty();
        assertThat(logs.messages(Level.WARN)).as("the trust list's watcher never saw a half-written file")
                .noneMatch(m -> m.startsWith("Error decoding certificate"));
    }

    private List<String> warningsAbout(String thumbprint) {
        return logs.messages(Level.WARN).stream().filter(m -> m.contains(thumbprint)).toList();
    }
}
