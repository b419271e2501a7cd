package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Since when each server has been healthy without a break, as far as the evaluations of
 * {@link PairSelector} saw: what failback trusts. Not thread-safe: the selector calls it under its lock.
 */
final class HealthyRuns {

    private final Map<ServerRole, Instant> healthySince = new EnumMap<>(ServerRole.class);

    /**
     * Keeps the start of the server's healthy run. A fault observed since then (a dip between two
     * evaluations) restarts the run, so failback never trusts a server that flickered unseen.
     */
    void track(ServerHealth health, Optional<Instant> lastFaultAt, Instant now) {
        if (!health.healthy()) {
            healthySince.remove(health.role());
            return;
        }
        Instant since = healthySince.getOrDefault(health.role(), now);
        if (lastFaultAt.isPresent() && lastFaultAt.get().isAfter(since)) {
            since = lastFaultAt.get().isAfter(now) ? now : lastFaultAt.get();
        }
        healthySince.put(health.role(), since);
    }

    /** How long the server has been healthy without a break; zero when it is not. */
    Duration healthyFor(ServerRole role, Instant now) {
        Instant since = healthySince.get(role);
        return since == null ? Duration.ZERO : Duration.between(since, now);
    }
}
