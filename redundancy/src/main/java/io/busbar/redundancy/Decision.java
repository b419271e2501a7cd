package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.util.Optional;

/**
 * A choice of {@link PairSelector}: the server to make active (empty for none) and why, in words for
 * the log and the switchover.
 */
record Decision(Optional<ServerRole> to, String reason) {

    /**
     * Rule 4 and the last part of rule 5 of {@link PairSelector}: nothing is active (or, co-located,
     * the choice is made afresh), so nothing is lost by choosing at once. The healthy server; when both
     * are, the primary if preferred, else the higher ServiceLevel; with neither healthy, the usable one
     * with the higher ServiceLevel.
     */
    static Decision choose(ServerHealth primary, ServerHealth secondary, Preferred preferred) {
        if (primary.healthy() && secondary.healthy()) {
            if (preferred == Preferred.PRIMARY) {
                return new Decision(Optional.of(ServerRole.PRIMARY), "both healthy, primary preferred");
            }
            ServerHealth higher = higherServiceLevel(primary, secondary);
            return new Decision(Optional.of(higher.role()), "both healthy, " + higher.role().wireName()
                    + (rank(primary) == rank(secondary) ? " on a tie" : " has the higher service level"));
        }
        if (primary.healthy() || secondary.healthy()) {
            ServerHealth healthy = primary.healthy() ? primary : secondary;
            ServerHealth unhealthy = primary.healthy() ? secondary : primary;
            return new Decision(Optional.of(healthy.role()),
                    healthy.role().wireName() + " healthy; " + describe(unhealthy));
        }
        boolean primaryUsable = HealthJudge.usable(primary);
        boolean secondaryUsable = HealthJudge.usable(secondary);
        if (primaryUsable || secondaryUsable) {
            ServerHealth best = primaryUsable && secondaryUsable ? higherServiceLevel(primary, secondary)
                    : primaryUsable ? primary : secondary;
            return new Decision(Optional.of(best.role()), "degraded service from " + describe(best));
        }
        return new Decision(Optional.empty(), "no usable server: " + describe(primary) + "; " + describe(secondary));
    }

    static String describe(ServerHealth health) {
        return health.configured() ? health.role().wireName() + ": " + health.reason() : health.reason();
    }

    private static ServerHealth higherServiceLevel(ServerHealth primary, ServerHealth secondary) {
        return rank(secondary) > rank(primary) ? secondary : primary;
    }

    /** Unknown ranks below every known level: a server that reported a level has shown more. */
    private static int rank(ServerHealth health) {
        return health.serviceLevel().orElse(-1);
    }
}
