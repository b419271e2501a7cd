package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of a pair's active server. Every change counts, the first selection and a fall to "no
 * server" included, because each one is a point after which history may have to be backfilled.
 *
 * @param at     when the selector made it (its clock)
 * @param from   the server active before; empty when there was none
 * @param to     the server active now; empty when neither server is usable
 * @param reason why, in a short human text for logs and the health endpoint
 */
public record Switchover(Instant at, Optional<ServerRole> from, Optional<ServerRole> to, String reason) {

    public Switchover {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }
}
