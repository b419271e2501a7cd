package io.busbar.bootstrap.health;

import io.busbar.bootstrap.buffer.DiskLimit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/buffer}: DEGRADED while the buffer is at {@code buffer.max-disk} and
 * ingest is paused (readings wait on the servers and are backfilled), UP otherwise.
 */
@Component("bufferHealthIndicator")
public class BufferHealthIndicator implements org.springframework.boot.actuate.health.HealthIndicator {

    private final DiskLimit disk;

    public BufferHealthIndicator(DiskLimit disk, MeterRegistry registry) {
        this.disk = disk;
        Gauge.builder("busbar.buffer.disk.used.bytes", disk, DiskLimit::usedBytes)
                .description("Disk used by the buffer (journal, paging, large messages)").register(registry);
        Gauge.builder("busbar.buffer.full", disk, d -> d.hasRoom() ? 0 : 1)
                .description("1 while the buffer is at buffer.max-disk and ingest is paused").register(registry);
    }

    @Override
    public Health health() {
        Health.Builder health = Health.status(disk.hasRoom() ? Status.UP : RedundancyHealthIndicator.DEGRADED)
                .withDetail("usedBytes", disk.usedBytes());
        disk.maxBytes().ifPresent(max -> health.withDetail("maxBytes", max));
        if (!disk.hasRoom()) {
            health.withDetail("reason", "buffer.max-disk reached: ingest paused; the paused time will be backfilled");
        }
        return health.build();
    }
}
