package io.busbar.bootstrap.health;

import io.busbar.redundancy.PairStatus;
import io.busbar.routes.source.SourcePairRuntime;
import io.busbar.routes.source.SourcePairs;
import io.busbar.routes.source.WaitingPair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/redundancy}: UP when every pair's active server is healthy, DEGRADED when
 * a pair runs on a server that fails a criterion or has lost its standby, or when a pair found a
 * hole (readings no target will receive) within the last ten minutes; DOWN when a pair has no
 * server to forward from, or waits to start (its browse templates need a server to browse).
 * Details name the active server, each server's health with its reason, each pair's
 * completeness (the unfilled seconds since the start and the latest holes), or what a waiting
 * pair waits for.
 */
@Component("redundancyHealthIndicator")
public class RedundancyHealthIndicator implements HealthIndicator {

    /** Served with HTTP 200: the pair still delivers, but an operator should look. */
    public static final Status DEGRADED = new Status("DEGRADED", "a source pair runs without full redundancy");

    private final SourcePairs pairs;

    public RedundancyHealthIndicator(SourcePairs pairs) {
        this.pairs = pairs;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        PairStatus worst = PairStatus.UP;
        for (SourcePairRuntime pair : pairs.all()) {
            details.put(pair.name(), PairStateView.of(pair));
            PairStatus status = pair.state().status();
            if (status == PairStatus.UP && pair.recentHole()) {
                status = PairStatus.DEGRADED;
            }
            if (status.ordinal() > worst.ordinal()) {
                worst = status;
            }
        }
        for (WaitingPair pair : pairs.waiting()) {
            details.put(pair.name(), PairStateView.of(pair));
            worst = PairStatus.DOWN;
        }
        Status status = switch (worst) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> Status.DOWN;
        };
        return Health.status(status).withDetail("pairs", details).build();
    }
}
