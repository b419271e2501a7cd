package io.busbar.bootstrap.config.schema;

import io.busbar.connectors.schema.Schema;

/** host:port of a site-to-central link. */
@Schema.Scalar
@Schema.Pattern(value = "^[^\\s:]+:[0-9]{1,5}$", message = "must be host:port, e.g. central.example.com:61617")
public record HostPort(String value) {
}
