package io.busbar.connectors.opcua;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's application instance certificate and the trust list for server certificates, kept in
 * a PKI directory so a secured connection works the same after a restart.
 *
 * <p>Layout: {@code own/busbar-client.p12} (created with a self-signed certificate on first start),
 * {@code trusted/certs} (the server certificates to trust; there is no trust-all), {@code
 * issuer/...} (CA certificates and CRLs) and {@code rejected} (certificates of servers that were
 * refused; {@code busbar pki trust} moves one to {@code trusted/certs}, see {@link TrustList}).
 *
 * <p>The key store password is fixed, so the private key is protected by the directory's file
 * permissions, not by the password.
 */
final class ClientCertificates implements Closeable {

    /** The application URI in the certificate and in the session; servers check they match. */
    static final String APPLICATION_URI = "urn:busbar:opcua-client";

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);
    private static final String KEY_ALIAS = "busbar-client";
    private static final char[] KEY_STORE_PASSWORD = "busbar".toCharArray();
    private static final int RSA_KEY_BITS = 2048;
    private static final Period VALIDITY = Period.ofYears(5);

    /**
     * Certificates already explained in the log, by PKI directory and thumbprint: one WARN per
     * server, not one per retry nor per client (each browse attempt and each source has its own).
     */
    private static final Set<String> EXPLAINED = ConcurrentHashMap.newKeySet();

    private final Path pkiDirectory;
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    /** Watches the trust list directories with a thread of its own until closed. */
    private final FileBasedTrustListManager trustList;
    private final CertificateQuarantine quarantine;

    private ClientCertificates(Path pkiDirectory, KeyPair keyPair, X509Certificate certificate,
            FileBasedTrustListManager trustList, CertificateQuarantine quarantine) {
        this.pkiDirectory = pkiDirectory;
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.trustList = trustList;
        this.quarantine = quarantine;
    }

    static ClientCertificates loadOrCreate(Path pkiDirectory) throws IOException, GeneralSecurityException {
        Path keyStoreFile = pkiDirectory.resolve("own").resolve(KEY_ALIAS + ".p12");
        KeyStore keyStore = Files.exists(keyStoreFile) ? load(keyStoreFile) : create(keyStoreFile);
        Key privateKey = keyStore.getKey(KEY_ALIAS, KEY_STORE_PASSWORD);
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate(KEY_ALIAS);
        if (!(privateKey instanceof PrivateKey key) || certificate == null) {
            throw new GeneralSecurityException(keyStoreFile + " has no key entry '" + KEY_ALIAS + "'");
        }
        FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(pkiDirectory);
        return new ClientCertificates(pkiDirectory.toAbsolutePath().normalize(),
                new KeyPair(certificate.getPublicKey(), key), certificate, trustList,
                FileBasedCertificateQuarantine.create(TrustList.of(pkiDirectory).rejectedDirectory()));
    }

    @Override
    public void close() throws IOException {
        trustList.close();
    }

    KeyPair keyPair() {
        return keyPair;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /**
     * Checks a server certificate against the trust list. An untrusted one is kept in {@code
     * rejected} (by Milo's quarantine) and refused with {@code Bad_CertificateUntrusted}; the first
     * refusal of a certificate logs one WARN line with its subject, thumbprint and the command that
     * trusts it.
     *
     * @param endpointUrl the server's, for the log
     */
    CertificateValidator validator(String endpointUrl) {
        return (chain, applicationUri, hostnames) -> {
            X509Certificate server = chain.get(0);
            String thumbprint = TrustList.thumbprint(server);
            String key = pkiDirectory + "#" + thumbprint;
            // Milo quarantines a certificate only when it leads to no trusted certificate: that is the
            // "not trusted" case, as opposed to an expired or revoked one
            Set<X509Certificate> quarantined = ConcurrentHashMap.newKeySet();
            CertificateValidator trustListCheck = new DefaultClientCertificateValidator(trustList,
                    new RecordingQuarantine(quarantine, quarantined));
            try {
                trustListCheck.validateCertificateChain(chain, applicationUri, hostnames);
                EXPLAINED.remove(key); // refused again later (trust withdrawn): explain again
            } catch (UaException e) {
                boolean untrusted = quarantined.contains(server);
                if (EXPLAINED.add(key)) {
                    if (untrusted) {
                        LOG.warn("{}", untrustedMessage(endpointUrl, server, thumbprint));
                    } else {
                        LOG.warn("OPC UA server {} presents certificate \"{}\" (SHA-1 thumbprint {}), which was"
                                        + " refused: {}", endpointUrl, TrustList.subject(server), thumbprint,
                                StatusCodeNames.describe(e));
                    }
                }
                if (untrusted) {
                    throw new UaException(StatusCodes.Bad_CertificateUntrusted, "the server certificate \""
                            + TrustList.subject(server) + "\" (SHA-1 thumbprint " + thumbprint + ") is not trusted"
                            + "; trust it with: " + trustCommand(thumbprint));
                }
                throw e;
            }
        };
    }

    private String untrustedMessage(String endpointUrl, X509Certificate server, String thumbprint) {
        return "OPC UA server " + endpointUrl + " is not trusted: its certificate \"" + TrustList.subject(server)
                + "\" (SHA-1 thumbprint " + thumbprint + ", valid until " + server.getNotAfter().toInstant()
                + ") was saved in " + TrustList.of(pkiDirectory).rejectedDirectory()
                + "; if it is the right server, trust it with: " + trustCommand(thumbprint);
    }

    private String trustCommand(String thumbprint) {
        return "busbar pki trust " + thumbprint + " --pki-dir " + pkiDirectory;
    }

    /** Milo's quarantine, remembering which certificates it was given during one check. */
    private record RecordingQuarantine(CertificateQuarantine delegate, Set<X509Certificate> added)
            implements CertificateQuarantine {

        @Override
        public List<X509Certificate> getRejectedCertificates() {
            return delegate.getRejectedCertificates();
        }

        @Override
        public void addRejectedCertificate(X509Certificate certificate) {
            added.add(certificate);
            delegate.addRejectedCertificate(certificate);
        }

        @Override
        public void removeRejectedCertificate(X509Certificate certificate) {
            delegate.removeRejectedCertificate(certificate);
        }
    }

    private static KeyStore load(Path keyStoreFile) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, KEY_STORE_PASSWORD);
        }
        return keyStore;
    }

    private static KeyStore create(Path keyStoreFile) throws IOException, GeneralSecurityException {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(RSA_KEY_BITS);
        String hostname = InetAddress.getLocalHost().getHostName();
        X509Certificate certificate;
        try {
            certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("Busbar")
                    .setOrganization("Busbar")
                    .setApplicationUri(APPLICATION_URI)
                    .addDnsName(hostname)
                    .setValidityPeriod(VALIDITY)
                    .build();
        } catch (Exception e) {
            throw new GeneralSecurityException("could not create the client certificate", e);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, KEY_STORE_PASSWORD);
        keyStore.setKeyEntry(KEY_ALIAS, keyPair.getPrivate(), KEY_STORE_PASSWORD, new X509Certificate[] {certificate});

        Files.createDirectories(keyStoreFile.getParent());
        Path temporary = Files.createTempFile(keyStoreFile.getParent(), KEY_ALIAS, ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            keyStore.store(out, KEY_STORE_PASSWORD);
        }
        Files.move(temporary, keyStoreFile, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Created the OPC UA client certificate {}", keyStoreFile);
        return keyStore;
    }
}
