package io.busbar.connectors.opcua;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * The security policies Busbar offers for a source. The deprecated policies (Basic128Rsa15,
 * Basic256) are deliberately missing. Secured policies always sign and encrypt.
 */
public enum OpcUaSecurityPolicy {
    NONE(SecurityPolicy.None, MessageSecurityMode.None),
    BASIC256SHA256(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt),
    AES256_SHA256_RSAPSS(SecurityPolicy.Aes256_Sha256_RsaPss, MessageSecurityMode.SignAndEncrypt);

    private final SecurityPolicy miloPolicy;
    private final MessageSecurityMode securityMode;

    OpcUaSecurityPolicy(SecurityPolicy miloPolicy, MessageSecurityMode securityMode) {
        this.miloPolicy = miloPolicy;
        this.securityMode = securityMode;
    }

    /**
     * Parses a configuration value: the OPC UA policy name ({@code None}, {@code Basic256Sha256},
     * {@code Aes256_Sha256_RsaPss}), case-insensitive, with or without underscores.
     */
    public static OpcUaSecurityPolicy fromConfig(String value) {
        String wanted = normalize(value);
        return Arrays.stream(values())
                .filter(policy -> normalize(policy.name()).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown OPC UA security policy '" + value
                        + "', expected one of " + Arrays.stream(values())
                                .map(policy -> policy.miloPolicy.name())
                                .collect(Collectors.joining(", "))));
    }

    public boolean isSecured() {
        return this != NONE;
    }

    SecurityPolicy miloPolicy() {
        return miloPolicy;
    }

    MessageSecurityMode securityMode() {
        return securityMode;
    }

    private static String normalize(String value) {
        return value.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}
