package io.busbar.bootstrap.federation;

import java.nio.file.Path;

/**
 * A key store (this side's certificate and key) and a trust store (the CA of the other side), as
 * Artemis' netty transport reads them. The passwords never appear in {@link #toString()}.
 */
public record TlsStores(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    /** PKCS12 for .p12/.pfx files, JKS otherwise (keytool's two formats). */
    static String type(Path store) {
        String name = store.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx") ? "PKCS12" : "JKS";
    }

    @Override
    public String toString() {
        return "TlsStores[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
}
