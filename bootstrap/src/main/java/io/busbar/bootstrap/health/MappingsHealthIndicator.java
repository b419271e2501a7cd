package io.busbar.bootstrap.health;

import io.busbar.bootstrap.reload.MappingWatcher;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/mappings}: DEGRADED with every problem when the last change of a mapping
 * file was rejected (the previous mapping keeps running), UP otherwise.
 */
@Component("mappingsHealthIndicator")
public class MappingsHealthIndicator implements HealthIndicator {

    private final MappingWatcher watcher;

    public MappingsHealthIndicator(MappingWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public Health health() {
        MappingWatcher.Status status = watcher.status();
        return Health.status(status.problems().isEmpty() ? Status.UP : RedundancyHealthIndicator.DEGRADED)
                .withDetail("checkedAt", status.checkedAt().toString())
                .withDetail("appliedAt", status.appliedAt().toString())
                .withDetail("problems", status.problems())
                .build();
    }
}
