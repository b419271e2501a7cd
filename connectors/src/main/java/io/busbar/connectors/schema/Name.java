package io.busbar.connectors.schema;

/** A name in the configuration (a source pair, a target, a site): it is used in route ids and metrics. */
@Schema.Scalar
@Schema.Pattern(value = "^[a-z0-9][a-z0-9-]{0,62}$",
        message = "must be a lower-case kebab-case name (a-z, 0-9, -), it is used in route ids and metrics")
public record Name(String value) {
}
