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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.stack.core.UaException;
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
 * refused, to be moved to {@code trusted/certs} by an operator who accepts them).
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

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    /** Watches the trust list directories with a thread of its own until closed. */
    private final FileBasedTrustListManager trustList;
    private final CertificateValidator validator;

    private ClientCertificates(KeyPair keyPair, X509Certificate certificate, FileBasedTrustListManager trustList,
            CertificateValidator validator) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.trustList = trustList;
        this.validator = validator;
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
        CertificateValidator validator = explainingRefusals(pkiDirectory, new DefaultClientCertificateValidator(
                trustList, FileBasedCertificateQuarantine.create(pkiDirectory.resolve("rejected"))));
        return new ClientCertificates(new KeyPair(certificate.getPublicKey(), key), certificate, trustList, validator);
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

    CertificateValidator validator() {
        return validator;
    }

    /**
     * Milo refuses an unknown server certificate with a cryptic message and keeps retrying; this
     * says once per certificate which one it is and how an operator trusts it.
     */
    private static CertificateValidator explainingRefusals(Path pkiDirectory, CertificateValidator trustListCheck) {
        Set<String> explained = ConcurrentHashMap.newKeySet();
        return (chain, applicationUri, hostnames) -> {
            try {
                trustListCheck.validateCertificateChain(chain, applicationUri, hostnames);
            } catch (UaException e) {
                X509Certificate refused = chain.get(0);
                if (explained.add(refused.getSubjectX500Principal() + "#" + refused.getSerialNumber())) {
                    LOG.warn("OPC UA server certificate '{}' of {} was refused ({}); if it is the right server,"
                                    + " move it from {} to {}",
                            refused.getSubjectX500Principal(), applicationUri, StatusCodeNames.describe(e),
                            pkiDirectory.resolve("rejected"), pkiDirectory.resolve("trusted").resolve("certs"));
                }
                throw e;
            }
        };
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
