package io.busbar.connectors.schema;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A name in the configuration (a source pair, a target, a site): it is used in route ids and metrics. */
@Schema.Scalar
@Schema.Pattern(value = "^[a-z0-9][a-z0-9-]{0,62}$",
        message = "must be a lower-case kebab-case name (a-z, 0-9, -), it is used in route ids and metrics")
public record Name(String value) {

    /** Binds the text as written (the schema checked its form). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Name {
    }
}
