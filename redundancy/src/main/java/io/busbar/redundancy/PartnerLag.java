package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per source pair: since when each server has delivered no new source time although its partner's
 * advanced. A server's clock starts at the partner's first advance after the latest of: the server's
 * own latest advance, the latest (re)connection of either server, and the start of the partner's
 * current run of advances (a run breaks when the partner pauses for more than half of
 * {@code staleAfter}). It stops at the server's next advance.
 *
 * <p>Why not simply compare the two newest source times: a meter's register changes only now and
 * then, and each server reports a change when its own poll sees it, up to a poll cycle after the
 * other. Between the two reports one server is "behind" by the whole time since the previous change,
 * although it is perfectly alive. Counting only how long a server has stayed silent while the
 * partner kept moving is immune to that and to clock offsets between the servers. Restarting the
 * count at every (re)connection and at every pause of the partner keeps the verdict to what an
 * instance that has just started could have seen too: co-located instances must agree.
 *
 * <p>Shared by the two {@link ServerObservations} of a pair; its lock is taken inside theirs and
 * never the other way round.
 */
final class PartnerLag {

    private final Duration runBreak;
    private final Map<ServerRole, Instant> behindSince = new EnumMap<>(ServerRole.class);
    private final Map<ServerRole, Instant> lastAdvance = new EnumMap<>(ServerRole.class);

    /** @param staleAfter the pair's {@link HealthCriteria#staleAfter()} */
    PartnerLag(Duration staleAfter) {
        this.runBreak = Objects.requireNonNull(staleAfter, "staleAfter").dividedBy(2);
    }

    /** {@code role}'s newest source time moved forward at {@code at} (Busbar's clock). */
    synchronized void advanced(ServerRole role, Instant at) {
        Instant previous = lastAdvance.put(role, at);
        behindSince.remove(role);
        if (previous == null || Duration.between(previous, at).compareTo(runBreak) > 0) {
            behindSince.put(role.partner(), at); // a new run: the partner's silence before it does not count
        } else {
            behindSince.putIfAbsent(role.partner(), at);
        }
    }

    /**
     * {@code role} (re)connected: the comparison starts afresh, for both servers. The one that
     * connected gets a grace for its new session; for its partner, silence only counts while the
     * other server delivers.
     */
    synchronized void restart(ServerRole role) {
        behindSince.clear();
        lastAdvance.remove(role);
    }

    /** Since when {@code role} has stayed silent while its partner advanced; empty when it has not. */
    synchronized Optional<Instant> behindSince(ServerRole role) {
        return Optional.ofNullable(behindSince.get(role));
    }
}
