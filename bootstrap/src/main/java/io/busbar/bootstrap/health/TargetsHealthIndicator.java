package io.busbar.bootstrap.health;

import io.busbar.bootstrap.buffer.BufferQueues;
import io.busbar.bootstrap.buffer.DeadLetters;
import io.busbar.routes.BufferLayout;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/targets}: per target the readings waiting in its queue, the age of the
 * oldest undelivered one, and its dead letters; per source pair its dead letters (values that
 * could not be mapped, readings the validation rules kept back). DEGRADED when a target has dead letters or its
 * oldest undelivered reading is older than {@link #STALE_AFTER} — the stream still flows but an
 * operator should look. The same figures are gauges for Prometheus.
 */
@Component("targetsHealthIndicator")
public class TargetsHealthIndicator implements HealthIndicator {

    static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private final DeadLetters deadLetters;
    private final BufferQueues queues;
    private final Clock clock = Clock.systemUTC();

    public TargetsHealthIndicator(DeadLetters deadLetters, BufferQueues queues, MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.queues = queues;
        for (String target : targetNames(deadLetters)) {
            // the unit is in the exported name (busbar_target_queue_depth_batches): a batch holds many readings
            Gauge.builder("busbar.target.queue.depth", () -> queues.messageCount(BufferLayout.targetQueue(target)))
                    .description("Buffered batches waiting for the target").baseUnit("batches").tag("target", target)
                    .register(registry);
            Gauge.builder("busbar.target.dlq.depth", () -> deadLetters.count(target))
                    .description("Dead letters of the target").tag("target", target).register(registry);
            Gauge.builder("busbar.target.oldest.age.seconds", () -> oldestAge(target).map(Duration::toMillis).orElse(0L) / 1000.0)
                    .description("Age of the oldest undelivered reading").tag("target", target).register(registry);
        }
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> sources = new LinkedHashMap<>();
        boolean degraded = false;
        for (String name : deadLetters.targets()) {
            if (name.startsWith(DeadLetters.SOURCE_PREFIX)) {
                long dead = deadLetters.count(name);
                sources.put(name.substring(DeadLetters.SOURCE_PREFIX.length()), Map.of("deadLetters", dead));
                degraded |= dead > 0;
            }
        }
        for (String target : targetNames(deadLetters)) {
            long dead = deadLetters.count(target);
            Optional<Duration> age = oldestAge(target);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("queuedBatches", queues.messageCount(BufferLayout.targetQueue(target)));
            view.put("oldestUndeliveredSeconds", age.map(a -> a.toMillis() / 1000.0).orElse(0.0));
            view.put("deadLetters", dead);
            details.put(target, view);
            degraded |= dead > 0 || age.map(a -> a.compareTo(STALE_AFTER) > 0).orElse(false);
        }
        return Health.status(degraded ? RedundancyHealthIndicator.DEGRADED : Status.UP)
                .withDetail("targets", details).withDetail("sources", sources).build();
    }

    private static java.util.List<String> targetNames(DeadLetters deadLetters) {
        return deadLetters.targets().stream().filter(name -> !name.startsWith(DeadLetters.SOURCE_PREFIX)).toList();
    }

    private Optional<Duration> oldestAge(String target) {
        return queues.firstMessageTime(BufferLayout.targetQueue(target), BufferLayout.OLDEST_PROPERTY)
                .map(oldest -> Duration.between(oldest, Instant.now(clock)));
    }
}
