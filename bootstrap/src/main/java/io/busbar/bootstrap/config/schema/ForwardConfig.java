package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Name;
import io.busbar.connectors.schema.Schema;
import java.util.List;
import java.util.Objects;

/** {@code forward:}, the site side of site-to-central; checked further by {@code FederationCompiler}. */
@JsonClassDescription("Site side of site-to-central: forward this site's readings to a central Busbar over one"
        + " outbound TLS connection with a client certificate (ActiveMQ Artemis core bridge; the site's journal is the"
        + " buffer while the link is down). See docs/site-to-central.md.")
public record ForwardConfig(
        @JsonProperty(required = true)
        @JsonPropertyDescription("This site's id, as the central lists it under central.sites.") Name site,
        @JsonProperty(required = true) @JsonPropertyDescription("The central's site listener, host:port.")
        HostPort central,
        @Schema.Size(min = 1) @Schema.Unique
        @JsonPropertyDescription("Source pairs to forward. Default: every source pair.") List<String> pairs,
        @JsonProperty(value = "key-store", required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("PKCS#12 (.p12) or JKS file with this site's certificate and key, relative to this"
                + " file.") String keyStore,
        @JsonProperty(value = "key-store-password", required = true)
        @JsonPropertyDescription(CentralConfig.SECRET) String keyStorePassword,
        @JsonProperty(value = "trust-store", required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("PKCS#12 or JKS file with the CA that signed the central's certificate.")
        String trustStore,
        @JsonProperty(value = "trust-store-password", required = true)
        @JsonPropertyDescription(CentralConfig.SECRET) String trustStorePassword,
        @JsonPropertyDescription("Deflate each message on the link (about 10x fewer bytes for JSON readings). Default"
                + " true.") Boolean compression) {

    /** Whether the link deflates messages when the file does not say. */
    public static final boolean DEFAULT_COMPRESSION = true;

    /** Left out, a key takes its default. */
    public ForwardConfig {
        compression = Objects.requireNonNullElse(compression, DEFAULT_COMPRESSION);
    }
}
