package io.busbar.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.BusbarCli;
import io.busbar.connectors.opcua.OpcUaSecurityPolicy;
import io.busbar.connectors.opcua.OpcUaSource;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.TrustList;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code busbar pki list|trust|reject} on a PKI directory, and the refused-then-trusted flow through it. */
class PkiCommandTest {

    private static KeyPair keyPair;

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @BeforeAll
    static void createKeyPair() throws Exception {
        keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    }

    private int busbar(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return BusbarCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void list_thenTrustByPrefix_thenReject() throws Exception {
        Path pki = dir.resolve("pki");
        X509Certificate meters = certificate("Meters");
        Path rejected = write(pki.resolve("rejected/from-milo.der"), meters.getEncoded());
        String thumbprint = TrustList.thumbprint(meters);

        assertThat(busbar("pki", "list", "--pki-dir", pki.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString().lines()).contains(
                "PKI directory " + pki.toAbsolutePath(),
                String.format("  %-8s  %-40s  %-24s  %s", "rejected", thumbprint, range(meters), "CN=Meters, O=Plant"),
                String.format("  %-8s  %-40s  %-24s  %s", "", "", "", Path.of("rejected", "from-milo.der")));

        assertThat(busbar("pki", "trust", thumbprint.substring(0, 8).toLowerCase(), "--pki-dir", pki.toString()))
                .as(err.toString()).isEqualTo(ExitCodes.OK);
        Path trusted = pki.toAbsolutePath().resolve("trusted/certs/" + thumbprint + ".der");
        assertThat(out.toString()).startsWith("Trusted \"CN=Meters, O=Plant\" (SHA-1 " + thumbprint + "): moved "
                + rejected.toAbsolutePath() + " to " + trusted);
        assertThat(trusted).exists();
        assertThat(rejected).doesNotExist();

        assertThat(busbar("pki", "trust", thumbprint, "--pki-dir", pki.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("is trusted already; nothing to do");

        assertThat(busbar("pki", "reject", thumbprint, "--pki-dir", pki.toString())).isEqualTo(ExitCodes.OK);
        assertThat(trusted).doesNotExist();
        assertThat(pki.resolve("rejected/" + thumbprint + ".der")).exists();
    }

    @Test
    void config_listsEveryPkiDirectoryOfItsSecuredServers() throws Exception {
        Path config = Files.writeString(dir.resolve("busbar.yaml"), """
                sources:
                  plant:
                    primary:
                      endpoint: opc.tcp://scada-1:4840
                      security: {policy: Basic256Sha256}
                    secondary:
                      endpoint: opc.tcp://scada-2:4840
                      security: {policy: Basic256Sha256, pki-dir: certs/scada-2}
                  office:
                    primary:
                      endpoint: opc.tcp://office:4840
                """);
        write(dir.resolve("certs/scada-2/trusted/certs/scada-2.der"), certificate("SCADA 2").getEncoded());

        assertThat(busbar("pki", "list", "--config", config.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);

        assertThat(out.toString().lines()).containsSubsequence(
                "PKI directory " + dir.toAbsolutePath().resolve("pki"),
                "  (does not exist yet: Busbar creates it at its first secured connection)",
                "PKI directory " + dir.toAbsolutePath().resolve("certs/scada-2"));
        assertThat(out.toString()).contains("CN=SCADA 2, O=Plant");
    }

    @Test
    void badInput_exitsTwoWithAClearMessage() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        Path unsecured = Files.writeString(dir.resolve("plain.yaml"), """
                sources:
                  plant:
                    primary: {endpoint: opc.tcp://scada-1:4840}
                """);

        assertThat(busbar("pki", "list")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).isEqualTo("pki: give either --config FILE or --pki-dir DIR" + System.lineSeparator());

        assertThat(busbar("pki", "trust", "--pki-dir", pki.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("pki trust: give the certificate's THUMBPRINT (`busbar pki list` shows them)");

        assertThat(busbar("pki", "trust", "xyz", "--pki-dir", pki.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("THUMBPRINT: 'xyz' is not a SHA-1 thumbprint or the start of one");

        assertThat(busbar("pki", "trust", "AB12", "--pki-dir", pki.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("pki trust: no certificate's thumbprint starts with AB12 in "
                + pki.toAbsolutePath());

        assertThat(busbar("pki", "list", "--pki-dir", dir.resolve("typo").toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--pki-dir: " + dir.resolve("typo") + " is not a directory");

        assertThat(busbar("pki", "list", "--config", unsecured.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains(unsecured + ": no server has a security section");

        assertThat(busbar("pki", "list", "--config", dir.resolve("missing.yaml").toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("missing.yaml:").contains("file not found");

        assertThat(busbar("pki", "forget", "AB12", "--pki-dir", pki.toString())).isEqualTo(ExitCodes.INVALID);
    }

    @Test
    void ambiguousPrefix_exitsTwoNamingTheCandidates() throws Exception {
        Path pki = dir.resolve("pki");
        // 17 certificates: two of them share their thumbprint's first hex digit
        Map<Character, String> firstByDigit = new HashMap<>();
        String shared = null;
        for (int i = 0; shared == null; i++) {
            X509Certificate certificate = certificate("Server " + i);
            String thumbprint = TrustList.thumbprint(certificate);
            write(pki.resolve("rejected/" + i + ".der"), certificate.getEncoded());
            if (firstByDigit.putIfAbsent(thumbprint.charAt(0), thumbprint) != null) {
                shared = thumbprint.substring(0, 1);
            }
        }

        assertThat(busbar("pki", "trust", shared, "--pki-dir", pki.toString())).isEqualTo(ExitCodes.INVALID);

        assertThat(err.toString()).startsWith("pki trust: " + shared + " is the start of 2 certificates' thumbprints;"
                + " give more of it: ");
        assertThat(pki.resolve("trusted")).doesNotExist();
    }

    @Test
    void refusedServer_trustedWithTheCommand_connectsWithoutRestart() throws Exception {
        Path pki = dir.resolve("pki");
        try (SimulatedScadaServer server = SimulatedScadaServer.builder().port(0).meterCount(1).secured(true).build();
             OpcUaSource source = new OpcUaSource(ServerRole.PRIMARY, OpcUaSourceOptions.builder(server.endpointUrl())
                     .securityPolicy(OpcUaSecurityPolicy.AES256_SHA256_RSAPSS).pkiDirectory(pki)
                     .retryDelay(Duration.ofMillis(200)).maxRetryDelay(Duration.ofSeconds(1)).build())) {
            server.start();
            AtomicInteger samples = new AtomicInteger();
            source.subscribe(List.of(SimulatedScadaServer.energyNodeId(1)), (role, batch) -> samples.addAndGet(batch.size()));
            source.start();
            String thumbprint = TrustList.thumbprint(server.serverCertificate().orElseThrow());

            await().atMost(Duration.ofSeconds(15)).until(() -> busbar("pki", "list", "--pki-dir", pki.toString()) == 0
                    && out.toString().contains("rejected  " + thumbprint));
            assertThat(samples).hasValue(0);

            assertThat(busbar("pki", "trust", thumbprint.substring(0, 10), "--pki-dir", pki.toString()))
                    .as(err.toString()).isEqualTo(ExitCodes.OK);

            await().atMost(Duration.ofSeconds(15)).until(() -> samples.get() > 0);
        }
    }

    private static String range(X509Certificate certificate) {
        return certificate.getNotBefore().toInstant().toString().substring(0, 10) + ".."
                + certificate.getNotAfter().toInstant().toString().substring(0, 10);
    }

    private static X509Certificate certificate(String commonName) throws Exception {
        return new SelfSignedCertificateBuilder(keyPair).setCommonName(commonName).setOrganization("Plant")
                .setApplicationUri("urn:test:" + commonName.replace(' ', '-')).setValidityPeriod(Period.ofDays(30)).build();
    }

    private static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }
}
