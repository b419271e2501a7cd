package io.busbar.mappings.model;

import java.util.Locale;

/** Which server of a redundant source pair delivered a value. */
public enum ServerRole {
    PRIMARY,
    SECONDARY;

    /** The lower-case name used in configuration, the wire format and health output. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public ServerRole partner() {
        return this == PRIMARY ? SECONDARY : PRIMARY;
    }

    public static ServerRole fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
