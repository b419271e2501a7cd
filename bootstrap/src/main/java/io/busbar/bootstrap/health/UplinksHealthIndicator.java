package io.busbar.bootstrap.health;

import io.busbar.routes.uplink.SilentDevices;
import io.busbar.routes.uplink.UplinkSource;
import io.busbar.routes.uplink.UplinkSourceStatus;
import io.busbar.routes.uplink.UplinkSources;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/uplinks}: per IoT uplink source, whether its broker is connected, when the
 * last uplink arrived, uplinks per second over the last minute, and the counts of readings,
 * repeats dropped by key and dead letters; with an {@code expected-interval}, the devices silent for
 * longer ({@code silentDevices}: count, how many were never heard, and the first ones with their meters
 * and since when). DEGRADED while a source's broker is not connected (the broker queues its uplinks
 * meanwhile) or a device is silent, UP otherwise.
 */
@Component("uplinksHealthIndicator")
public class UplinksHealthIndicator implements HealthIndicator {

    private final UplinkSources sources;

    public UplinksHealthIndicator(UplinkSources sources) {
        this.sources = sources;
    }

    @Override
    public Health health() {
        boolean allWell = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (UplinkSource source : sources.all()) {
            UplinkSourceStatus status = source.status();
            allWell &= status.connected() && status.silent().map(silent -> silent.count() == 0).orElse(true);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("connected", status.connected());
            detail.put("lastUplink", status.lastUplink().map(Object::toString).orElse(null));
            detail.put("uplinksPerSecond", Math.round(status.perSecond() * 100) / 100.0);
            detail.put("uplinks", status.uplinks());
            detail.put("readings", status.readings());
            detail.put("duplicates", status.duplicates());
            detail.put("deadLetters", status.deadLetters());
            status.lastError().ifPresent(error -> detail.put("lastError", error));
            status.silent().ifPresent(silent -> detail.put("silentDevices", silentDevices(silent)));
            details.put(source.name(), detail);
        }
        return Health.status(allWell ? Status.UP : RedundancyHealthIndicator.DEGRADED).withDetails(details).build();
    }

    private static Map<String, Object> silentDevices(SilentDevices silent) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("expectedInterval", silent.expectedInterval().toString());
        detail.put("count", silent.count());
        detail.put("neverHeard", silent.neverHeard());
        detail.put("first", silent.longest().stream().map(device -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("device", device.device());
            entry.put("meters", device.meters());
            entry.put("since", device.since().toString());
            entry.put("neverHeard", device.neverHeard());
            return entry;
        }).toList());
        return detail;
    }
}
