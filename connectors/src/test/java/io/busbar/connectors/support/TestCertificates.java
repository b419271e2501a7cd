package io.busbar.connectors.support;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The test-only server certificate in {@code src/test/resources/tls}: a PKCS#12 key store for a
 * server on 127.0.0.1/localhost and the PEM a client trusts (see the README there). Shipped rather
 * than generated, because generating an RSA key costs seconds per test run.
 */
public record TestCertificates(Path keyStore, String password, Path caPem) {

    public static TestCertificates shipped() {
        return new TestCertificates(resource("/tls/server.p12"), "changeit", resource("/tls/ca.pem"));
    }

    private static Path resource(String name) {
        try {
            return Path.of(TestCertificates.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + name, e);
        }
    }
}
