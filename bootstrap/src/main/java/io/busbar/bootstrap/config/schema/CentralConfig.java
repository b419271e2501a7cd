package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Name;
import io.busbar.connectors.schema.Schema;
import java.util.List;
import java.util.Map;

/** {@code central:}, the central side of site-to-central; checked further by {@code FederationCompiler}. */
@JsonClassDescription("Central side of site-to-central: one TLS listener with mutual authentication; only the listed"
        + " site certificates may connect, each may write only its own pairs. See docs/site-to-central.md.")
public record CentralConfig(
        @JsonProperty(required = true)
        @JsonPropertyDescription("Address and port of the site listener, e.g. 0.0.0.0:61617.") HostPort listen,
        @JsonProperty(value = "key-store", required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("PKCS#12 or JKS file with the central's certificate and key, relative to this file.")
        String keyStore,
        @JsonProperty(value = "key-store-password", required = true) @JsonPropertyDescription(SECRET)
        String keyStorePassword,
        @JsonProperty(value = "trust-store", required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("PKCS#12 or JKS file with the CA(s) that signed the sites' certificates.")
        String trustStore,
        @JsonProperty(value = "trust-store-password", required = true) @JsonPropertyDescription(SECRET)
        String trustStorePassword,
        @JsonProperty(required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("The sites allowed to connect, by site id. A certificate not listed here is refused"
                + " even when the CA signed it; remove a site (or its certificate) to revoke it.")
        Map<Name, SiteConfig> sites) {

    static final String SECRET = "Write ${ENV_VAR} to take it from the environment. Never logged.";

    /** {@code central.sites.<site>:}. */
    public record SiteConfig(
            @JsonProperty(required = true) @Schema.Size(min = 1)
            @JsonPropertyDescription("The site's certificate: a PEM or DER file relative to this file, or its SHA-256"
                    + " fingerprint (AB:CD:...).") String certificate,
            @JsonProperty(required = true) @Schema.Size(min = 1) @Schema.Unique
            @JsonPropertyDescription("The source pairs this site may write; routes name them like local pairs.")
            List<Name> pairs) {
    }
}
