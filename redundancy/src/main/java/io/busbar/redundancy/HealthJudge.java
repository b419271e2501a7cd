package io.busbar.redundancy;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.ServerRole;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns a server's observations, and its partner's, into a {@link ServerHealth} at a moment: the
 * criteria in a fixed order, the first that fails giving the reason. The partner matters for data
 * liveness only: in hot mode a server is stale when it stays silent while the partner's source
 * times advance.
 */
final class HealthJudge {

    /** Part 4: ServiceLevel 0 is maintenance (clients should disconnect), 1 is "no data". */
    static final int LOWEST_USABLE_SERVICE_LEVEL = 2;

    static final String HEALTHY = "healthy";

    private final HealthCriteria criteria;
    private final RedundancyMode mode;

    HealthJudge(HealthCriteria criteria, RedundancyMode mode) {
        this.criteria = criteria;
        this.mode = mode;
    }

    ServerHealth unconfigured(ServerRole role) {
        return new ServerHealth(role, false, false, OptionalInt.empty(), Optional.empty(), false,
                "no " + role.wireName() + " configured");
    }

    /**
     * @param partner       the partner server's observations; empty when the pair has none
     * @param samplingSince since when the server is expected to deliver source times, for the
     *                      silence criterion: in hot mode always (pass {@link Instant#MIN}; its
     *                      connection gives the grace), in warm and cold mode since it became
     *                      active; empty for a warm or cold standby, whose silence means nothing
     */
    ServerHealth judge(ServerRole role, ServerObservations.Snapshot seen, Optional<ServerObservations.Snapshot> partner,
                       Instant now, Optional<Instant> samplingSince) {
        String stale = seen.connected() ? staleness(seen, partner, now, samplingSince) : null;
        String problem = problem(seen, now);
        if (problem == null) {
            problem = stale;
        }
        return new ServerHealth(role, true, seen.connected(), seen.serviceLevel(), seen.lastValueAt(),
                problem == null, problem == null ? HEALTHY : problem, seen.newestSourceTime(), stale != null,
                seen.deadItems(), seen.items());
    }

    /** More than half of the items are dead: the server delivers less than it withholds. */
    static boolean mostlyDead(int dead, int total) {
        return total > 0 && 2L * dead > total;
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
            return seen.notConnectedBecause().map(why -> "not connected: " + why).orElse("not connected");
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
        if (mostlyDead(seen.deadItems(), seen.items())) {
            return seen.deadItems() + " of " + seen.items() + " items dead";
        }
        return null;
    }

    /** @return why the server's source times count as standing still; null when they do not */
    private String staleness(ServerObservations.Snapshot seen, Optional<ServerObservations.Snapshot> partner,
                             Instant now, Optional<Instant> samplingSince) {
        if (mode == RedundancyMode.HOT && partner.isPresent()) {
            String behind = behindPartner(seen, partner.get(), now);
            if (behind != null) {
                return behind;
            }
        }
        if (criteria.staleWhenSilent() && samplingSince.isPresent()) {
            return silent(seen, now, samplingSince.get());
        }
        return null;
    }

    /**
     * Stale next to the partner: silent for longer than staleAfter since the partner first advanced
     * after this server's latest advance, while the partner still advances (its latest advance is
     * within half of staleAfter). Two servers that freeze together are not stale by this rule: the
     * partner's last reports may trail this server's by up to one interval (a third of the default
     * staleAfter), but by the time this one has been silent for staleAfter the partner has been
     * silent for more than half of it. See {@link PartnerLag} for why silence, not the difference of
     * source times.
     */
    private String behindPartner(ServerObservations.Snapshot seen, ServerObservations.Snapshot partner, Instant now) {
        if (!partner.connected() || seen.behindSince().isEmpty() || partner.sourceAdvancedAt().isEmpty()) {
            return null;
        }
        Duration limit = criteria.staleAfter();
        Duration silentFor = Duration.between(seen.behindSince().get(), now);
        Duration partnerStillFor = Duration.between(partner.sourceAdvancedAt().get(), now);
        if (silentFor.compareTo(limit) <= 0 || partnerStillFor.compareTo(limit.dividedBy(2)) > 0) {
            return null;
        }
        String silence = "silent for " + format(silentFor) + " while the partner's advanced (limit " + format(limit) + ")";
        if (seen.newestSourceTime().isEmpty()) {
            return "stale: no value yet; " + silence;
        }
        Duration lag = partner.newestSourceTime()
                .map(newest -> Duration.between(seen.newestSourceTime().get(), newest))
                .orElse(Duration.ZERO);
        // the servers' clocks may differ: a lag that is not positive says nothing, silence does
        return lag.isNegative() || lag.isZero() ? "stale: " + silence
                : "stale: newest value " + format(lag) + " behind the partner's; " + silence;
    }

    /** Stale whatever the partner does: no new source time for staleAfter since it was expected to deliver. */
    private String silent(ServerObservations.Snapshot seen, Instant now, Instant samplingSince) {
        Instant since = latest(samplingSince, seen.connectedSince().orElse(now));
        if (seen.sourceAdvancedAt().isPresent()) {
            since = latest(since, seen.sourceAdvancedAt().get());
        }
        Duration silentFor = Duration.between(since, now);
        Duration limit = criteria.staleAfter();
        if (silentFor.compareTo(limit) <= 0) {
            return null;
        }
        return (seen.newestSourceTime().isEmpty() ? "stale: no value for " : "stale: no new value for ")
                + format(silentFor) + " (limit " + format(limit) + ")";
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
