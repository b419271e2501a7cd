package io.busbar.connectors.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS options of a target connection. Without a CA file the JVM's default trust store decides
 * which servers are trusted; without a key store the client presents no certificate.
 *
 * @param caFile           PEM file with the CA certificate(s) that signed the server certificate;
 *                         when set, only these are trusted
 * @param keyStore         PKCS#12 file with the client certificate and its private key
 * @param keyStorePassword password of {@code keyStore}; never logged
 */
public record TlsSettings(Optional<Path> caFile, Optional<Path> keyStore, String keyStorePassword) {

    public static final TlsSettings DEFAULT = new TlsSettings(Optional.empty(), Optional.empty(), null);

    public boolean isDefault() {
        return caFile.isEmpty() && keyStore.isEmpty();
    }

    /** An SSL context for these options (the JVM default when nothing is configured). */
    public SSLContext sslContext() throws IOException, GeneralSecurityException {
        if (isDefault()) {
            return SSLContext.getDefault();
        }
        TrustManagerFactory trust = null;
        if (caFile.isPresent()) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            try (InputStream in = Files.newInputStream(caFile.get())) {
                Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw new GeneralSecurityException("no certificate in " + caFile.get());
                }
                int i = 0;
                for (Certificate certificate : certificates) {
                    anchors.setCertificateEntry("ca-" + i++, certificate);
                }
            }
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
        }
        KeyManagerFactory keys = null;
        if (keyStore.isPresent()) {
            char[] password = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore.get())) {
                store.load(in, password);
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        return context;
    }

    @Override
    public String toString() {
        return "TlsSettings[caFile=" + caFile + ", keyStore=" + keyStore + ", keyStorePassword="
                + (keyStorePassword == null ? "none" : "***") + "]";
    }
}
