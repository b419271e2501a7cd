package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.Base64;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trusted and rejected server certificates of a PKI directory, as {@code busbar pki} manages them. */
class TrustListTest {

    private static X509Certificate meters;
    private static X509Certificate historian;

    @TempDir
    Path pki;

    @BeforeAll
    static void createCertificates() throws Exception {
        meters = certificate("Meters");
        historian = certificate("Historian");
    }

    @Test
    void list_showsBothDirectoriesWithSubjectThumbprintValidityAndFile() throws Exception {
        Path trusted = write(pki.resolve("trusted/certs/historian.pem"), pem(historian));
        Path rejected = write(pki.resolve("rejected/0a1b.der"), meters.getEncoded());
        write(pki.resolve("rejected/notes.txt"), "not a certificate".getBytes(StandardCharsets.UTF_8));

        TrustList.Listing listing = TrustList.of(pki).list();

        assertThat(listing.entries()).extracting(TrustList.Entry::state, TrustList.Entry::subject, TrustList.Entry::file)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TrustList.State.TRUSTED, "CN=Historian, O=Plant", trusted),
                        org.assertj.core.groups.Tuple.tuple(TrustList.State.REJECTED, "CN=Meters, O=Plant", rejected));
        TrustList.Entry entry = listing.entries().get(1);
        assertThat(entry.thumbprint()).hasSize(40).isEqualTo(TrustList.thumbprint(meters)).matches("[0-9A-F]+");
        assertThat(entry.notAfter()).isEqualTo(meters.getNotAfter().toInstant());
        assertThat(listing.unreadable()).singleElement().asString()
                .startsWith(pki.resolve("rejected/notes.txt") + ": not an X.509 certificate");
    }

    @Test
    void trust_movesTheRejectedCertificateToTrustedUnderItsThumbprint_andRejectMovesItBack() throws Exception {
        Path rejectedFile = write(pki.resolve("rejected/by-milo.der"), meters.getEncoded());
        TrustList trustList = TrustList.of(pki);
        TrustList.Entry rejected = trustList.list().entries().get(0);

        TrustList.Entry trusted = trustList.trust(rejected);

        String thumbprint = TrustList.thumbprint(meters);
        assertThat(trusted.file()).isEqualTo(pki.resolve("trusted/certs/" + thumbprint + ".der"));
        assertThat(Files.readAllBytes(trusted.file())).isEqualTo(meters.getEncoded());
        assertThat(rejectedFile).doesNotExist();
        assertThat(trustList.list().entries()).extracting(TrustList.Entry::state).containsExactly(TrustList.State.TRUSTED);

        TrustList.Entry rejectedAgain = trustList.reject(trustList.list().entries().get(0));

        assertThat(rejectedAgain.file()).isEqualTo(pki.resolve("rejected/" + thumbprint + ".der"));
        assertThat(trusted.file()).doesNotExist();
        assertThat(trustList.list().entries()).extracting(TrustList.Entry::state).containsExactly(TrustList.State.REJECTED);
        try (var left = Files.list(pki.resolve("trusted/certs"))) {
            assertThat(left).as("no temporary file left").isEmpty();
        }
    }

    @Test
    void aFileHoldingTwoCertificatesIsNotSplit() throws Exception {
        byte[] both = (new String(pem(meters), StandardCharsets.US_ASCII) + new String(pem(historian), StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII);
        Path bundle = write(pki.resolve("rejected/bundle.pem"), both);
        TrustList trustList = TrustList.of(pki);
        TrustList.Entry first = trustList.list().entries().get(0);

        assertThatThrownBy(() -> trustList.trust(first)).isInstanceOf(IOException.class)
                .hasMessage(bundle + " holds 2 certificates; move it by hand");
        assertThat(bundle).exists();
    }

    @Test
    void thumbprintPrefixesMatchInAnyCaseWithSeparators() throws Exception {
        write(pki.resolve("rejected/m.der"), meters.getEncoded());
        TrustList.Entry entry = TrustList.of(pki).list().entries().get(0);
        String thumbprint = entry.thumbprint();
        String colons = thumbprint.substring(0, 2) + ":" + thumbprint.substring(2, 4) + ":" + thumbprint.substring(4, 6);

        assertThat(entry.matches(thumbprint.substring(0, 6).toLowerCase())).isTrue();
        assertThat(entry.matches(colons)).isTrue();
        assertThat(entry.matches(thumbprint.substring(0, 5) + (thumbprint.charAt(5) == 'F' ? "0" : "F"))).isFalse();
    }

    @Test
    void missingDirectoriesHoldNothing() throws Exception {
        assertThat(TrustList.of(pki.resolve("never-created")).list().entries()).isEmpty();
    }

    private static X509Certificate certificate(String commonName) throws Exception {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        return new SelfSignedCertificateBuilder(keyPair).setCommonName(commonName).setOrganization("Plant")
                .setApplicationUri("urn:test:" + commonName).setValidityPeriod(Period.ofDays(30)).build();
    }

    private static byte[] pem(X509Certificate certificate) throws Exception {
        return ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }
}
