package io.busbar.connectors.target;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;

/** The {@code tls:} block of a target or an uplink source; bound to {@link TargetTls}. */
@JsonClassDescription("TLS options. Without ca-file the JVM's default trust store decides.")
@Schema.Requires(key = "key-store-password", needs = "key-store")
public record TlsConfig(
        @JsonProperty("ca-file") @Schema.Size(min = 1)
        @JsonPropertyDescription("PEM file with the CA certificate(s) of the server, relative to this file; only these"
                + " are trusted.") String caFile,
        @JsonProperty("key-store") @Schema.Size(min = 1)
        @JsonPropertyDescription("PKCS#12 file with a client certificate and key, relative to this file.")
        String keyStore,
        @JsonProperty("key-store-password")
        @JsonPropertyDescription("Password of key-store. Write ${ENV_VAR} to take it from the environment. Never"
                + " logged.") String keyStorePassword) {
}
