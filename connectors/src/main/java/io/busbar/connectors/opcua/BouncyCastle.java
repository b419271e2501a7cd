package io.busbar.connectors.opcua;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Registers the BouncyCastle provider (a Milo dependency): Milo signs Aes256_Sha256_RsaPss with
 * "SHA256withRSA/PSS", which only it offers. In its own class so that only a secured source loads
 * it: bcprov is a signed jar, and the first class loaded from it has the JVM check the jar's
 * signature and digest its manifest (~0.11 s of CPU in a fresh JVM), which a source with security
 * policy None paid on its way to the first connect while the provider was named in {@link
 * ClientFactory} (the verifier of a class naming the provider loads it); classes of signed jars
 * cannot be in a class-data archive either (issue 12).
 */
final class BouncyCastle {

    private BouncyCastle() {
    }

    static void register() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }
}
