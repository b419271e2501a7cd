package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Co-located: whether enough is known of each server to choose by it the way the partner instance,
 * which may have watched it for hours, does (the start-up grace of {@link PairSelector}). Not
 * thread-safe: the selector calls it under its lock.
 */
final class SettleWatch {

    private final RedundancyPolicy policy;
    private final Duration limit;
    /** The session (its connection time) of each server that was found settled. */
    private final Map<ServerRole, Instant> settledSessions = new EnumMap<>(ServerRole.class);

    SettleWatch(RedundancyPolicy policy) {
        this.policy = policy;
        Duration twiceStaleAfter = policy.criteria().staleAfter().multipliedBy(2);
        this.limit = twiceStaleAfter.compareTo(PairSelector.CO_LOCATED_STARTUP_GRACE) > 0 ? twiceStaleAfter
                : PairSelector.CO_LOCATED_STARTUP_GRACE;
    }

    /** The longest a connected server counts as settling: {@link PairSelector#CO_LOCATED_STARTUP_GRACE} or twice {@code staleAfter}. */
    Duration limit() {
        return limit;
    }

    /**
     * A connected server is settled once its ServiceLevel (and role value) was read and, in hot mode,
     * its liveness is known: its source times advanced past the initial values, or it was judged
     * stale, or it has been connected for twice {@code staleAfter} (both servers frozen: no verdict
     * will come); in any case after {@link #limit()}. A session once settled stays so: a stale verdict
     * that passes (the partner froze too) must not make the server unknown again. A server not
     * connected is settled once it was tried, in cold mode at once.
     */
    boolean settled(ServerRole role, ServerObservations.Snapshot seen, ServerHealth judged, Instant now) {
        if (!seen.connected()) {
            return seen.tried() || policy.mode() == RedundancyMode.COLD; // a cold standby is not tried on purpose
        }
        Instant session = seen.connectedSince().orElse(now);
        if (session.equals(settledSessions.get(role))) {
            return true; // what was learnt of this session stays learnt, e.g. a stale verdict that has passed
        }
        Duration connectedFor = Duration.between(session, now);
        boolean levelRead = seen.serviceLevel().isPresent();
        boolean roleRead = policy.criteria().role().isEmpty() || seen.roleQuality().isPresent();
        boolean liveness = policy.mode() != RedundancyMode.HOT || seen.advancingSinceConnected()
                || judged.stale() || connectedFor.compareTo(policy.criteria().staleAfter().multipliedBy(2)) >= 0;
        boolean settled = connectedFor.compareTo(limit) >= 0 || (levelRead && roleRead && liveness);
        if (settled) {
            settledSessions.put(role, session);
        }
        return settled;
    }

    /** A healthy server that is not settled yet, as unhealthy ("settling"). */
    static ServerHealth settling(ServerHealth health, ServerObservations.Snapshot seen, Instant now) {
        Duration connectedFor = Duration.between(seen.connectedSince().orElse(now), now);
        return new ServerHealth(health.role(), health.configured(), health.connected(), health.serviceLevel(),
                health.lastValueAt(), false, "settling: connected " + HealthJudge.format(connectedFor) + " ago",
                health.newestSourceTime(), health.stale(), health.deadItems(), health.items());
    }
}
