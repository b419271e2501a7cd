package io.busbar.redundancy;

import io.busbar.mappings.ServerRole;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per source pair: since when each server has delivered no new source time although its partner's
 * advanced. The clock of a server starts at the partner's first advance after the server's own latest
 * advance (or (re)connection) and stops at the server's next advance.
 *
 * <p>Why not simply compare the two newest source times: a meter's register changes only now and
 * then, and each server reports a change when its own poll sees it, up to a poll cycle after the
 * other. Between the two reports one server is "behind" by the whole time since the previous change,
 * although it is perfectly alive. Counting only how long a server has stayed silent after the
 * partner moved on is immune to that and to clock offsets between the servers.
 *
 * <p>Shared by the two {@link ServerObservations} of a pair; its lock is taken inside theirs and
 * never the other way round.
 */
final class PartnerLag {

    private final Map<ServerRole, Instant> behindSince = new EnumMap<>(ServerRole.class);

    /** {@code role}'s newest source time moved forward at {@code at} (Busbar's clock). */
    synchronized void advanced(ServerRole role, Instant at) {
        behindSince.remove(role);
        behindSince.putIfAbsent(role.partner(), at);
    }

    /** {@code role} (re)connected: it is judged afresh from the partner's next advance. */
    synchronized void restart(ServerRole role) {
        behindSince.remove(role);
    }

    /** Since when {@code role} has stayed silent while its partner advanced; empty when it has not. */
    synchronized Optional<Instant> behindSince(ServerRole role) {
        return Optional.ofNullable(behindSince.get(role));
    }
}
