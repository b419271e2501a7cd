package io.busbar.redundancy;

import io.busbar.mappings.Quality;
import io.busbar.mappings.ServerRole;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns a server's observations into a {@link ServerHealth} at a moment: the criteria in a fixed
 * order, the first that fails giving the reason.
 */
final class HealthJudge {

    /** Part 4: ServiceLevel 0 is maintenance (clients should disconnect), 1 is "no data". */
    static final int LOWEST_USABLE_SERVICE_LEVEL = 2;

    static final String HEALTHY = "healthy";

    private final HealthCriteria criteria;

    HealthJudge(HealthCriteria criteria) {
        this.criteria = criteria;
    }

    ServerHealth unconfigured(ServerRole role) {
        return new ServerHealth(role, false, false, OptionalInt.empty(), Optional.empty(), false,
                "no " + role.wireName() + " configured");
    }

    ServerHealth judge(ServerRole role, ServerObservations.Snapshot seen, Instant now) {
        String problem = problem(seen, now);
        return new ServerHealth(role, true, seen.connected(), seen.serviceLevel(), seen.lastValueAt(),
                problem == null, problem == null ? HEALTHY : problem);
    }

    /**
     * Connected and not saying "maintenance" or "no data": good enough to forward from when nothing
     * healthy is there, and the bar below which an active server is left without waiting.
     */
    static boolean usable(ServerHealth health) {
        return health.configured() && health.connected()
                && health.serviceLevel().orElse(LOWEST_USABLE_SERVICE_LEVEL) >= LOWEST_USABLE_SERVICE_LEVEL;
    }

    private String problem(ServerObservations.Snapshot seen, Instant now) {
        if (!seen.connected()) {
            return "not connected";
        }
        OptionalInt level = seen.serviceLevel();
        if (level.isPresent() && level.getAsInt() == 0) {
            return "service level 0: maintenance";
        }
        if (level.isPresent() && level.getAsInt() == 1) {
            return "service level 1: no data";
        }
        if (criteria.serviceLevel() && level.isPresent() && level.getAsInt() < criteria.serviceLevelThreshold()) {
            return "service level " + level.getAsInt() + " below " + criteria.serviceLevelThreshold();
        }
        if (criteria.heartbeat().isPresent()) {
            String stale = staleHeartbeat(criteria.heartbeat().get(), seen, now);
            if (stale != null) {
                return stale;
            }
        }
        if (criteria.role().isPresent()) {
            RoleCriterion role = criteria.role().get();
            if (seen.roleQuality().filter(q -> q == Quality.BAD).isPresent()) {
                return "role tag " + role.nodeId() + " quality BAD";
            }
            if (seen.roleValue().isEmpty()) {
                return "role tag " + role.nodeId() + " not read yet";
            }
            if (!seen.roleValue().get().equalsIgnoreCase(role.activeValue())) {
                return "role tag " + role.nodeId() + " is '" + seen.roleValue().get() + "', not '"
                        + role.activeValue() + "'";
            }
        }
        for (String nodeId : criteria.watchNodes()) {
            Quality quality = seen.watchQualities().getOrDefault(nodeId, Quality.GOOD);
            if (quality != Quality.GOOD) {
                return "watch node " + nodeId + " quality " + quality;
            }
        }
        return null;
    }

    /**
     * Judged from the later of the last change and the (re)connection, so a new session gets one
     * timeout of grace for its subscription to deliver the heartbeat.
     */
    private static String staleHeartbeat(HeartbeatCriterion heartbeat, ServerObservations.Snapshot seen, Instant now) {
        Instant connectedSince = seen.connectedSince().orElse(now);
        Optional<Instant> changed = seen.heartbeatChangedAt().filter(at -> !at.isBefore(connectedSince));
        Instant since = changed.orElse(connectedSince);
        Duration age = Duration.between(since, now);
        if (age.compareTo(heartbeat.timeout()) <= 0) {
            return null;
        }
        String limit = " (limit " + format(heartbeat.timeout()) + ")";
        if (seen.heartbeatChangedAt().isEmpty()) {
            return "heartbeat " + heartbeat.nodeId() + " not received for " + format(age) + limit;
        }
        Duration unchanged = Duration.between(seen.heartbeatChangedAt().get(), now);
        return "heartbeat " + heartbeat.nodeId() + " unchanged for " + format(unchanged) + limit;
    }

    /** {@code 5s}, {@code 1.5s}, {@code 200ms}: the way durations are written in configuration. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000 && millis > -1000 && millis != 0) {
            return millis + "ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
