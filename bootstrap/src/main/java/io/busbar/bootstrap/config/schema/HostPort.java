package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.busbar.connectors.schema.Schema;

/** host:port of a site-to-central link. */
@Schema.Scalar
@Schema.Pattern(value = "^[^\\s:]+:[0-9]{1,5}$", message = "must be host:port, e.g. central.example.com:61617")
public record HostPort(String value) {

    /** Binds the text as written (the schema checked its form). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public HostPort {
    }

    /** Everything before the last colon. */
    public String host() {
        return value.substring(0, value.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
    }
}
