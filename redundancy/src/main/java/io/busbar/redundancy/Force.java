package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.util.Optional;

/**
 * An operator's override of the selection, typically to take a server out for maintenance. A forced
 * server is active whenever it is connected, whatever its health; while it is not connected the
 * rules apply, so forcing never causes a gap.
 */
public enum Force {
    PRIMARY,
    SECONDARY,
    /** No override: the rules of {@link PairSelector} decide. */
    AUTO;

    /** The forced server; empty for {@link #AUTO}. */
    public Optional<ServerRole> role() {
        return switch (this) {
            case PRIMARY -> Optional.of(ServerRole.PRIMARY);
            case SECONDARY -> Optional.of(ServerRole.SECONDARY);
            case AUTO -> Optional.empty();
        };
    }
}
