package io.busbar.connectors.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
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

    /** The resource as a file: itself in a build's classes, a copy when it comes from the test jar (other modules). */
    private static Path resource(String name) {
        URL url = TestCertificates.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource missing: " + name);
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            Path copy = Files.createTempDirectory("busbar-test-tls").resolve(Path.of(name).getFileName().toString());
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy);
            }
            copy.toFile().deleteOnExit();
            copy.getParent().toFile().deleteOnExit();
            return copy;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + name + " at " + url, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy test resource " + name, e);
        }
    }
}
