package io.busbar.routes.uplink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices mapped devices that stopped reporting: a device with no uplink for longer than the
 * expected interval is silent until its next uplink. Times are Busbar's clock at arrival (a meter
 * that sends buffered, older readings is reporting all the same); a device never heard since the
 * source started counts from the start, so a device missing from the network server shows too.
 *
 * <p>Thread-safe: the ingest thread calls {@link #heard}, health calls {@link #silent}.
 */
final class DeviceSilence {

    /** How many silent devices health lists by name; the count covers all of them. */
    static final int LISTED = 10;

    private final Map<String, List<String>> metersByDevice;
    private final Duration expectedInterval;
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();
    private volatile Instant startedAt;

    /** @param metersByDevice every mapped device (EUI) with the meters read from it */
    DeviceSilence(Map<String, List<String>> metersByDevice, Duration expectedInterval) {
        this.metersByDevice = Map.copyOf(metersByDevice);
        this.expectedInterval = Objects.requireNonNull(expectedInterval, "expectedInterval");
        if (expectedInterval.isNegative() || expectedInterval.isZero()) {
            throw new IllegalArgumentException("the expected interval must be positive, not " + expectedInterval);
        }
    }

    /** The source started listening: silence of devices never heard counts from here. */
    void started(Instant at) {
        startedAt = at;
    }

    /** An uplink of {@code device} arrived; devices not in the mapping are ignored. */
    void heard(String device, Instant at) {
        if (metersByDevice.containsKey(device)) {
            lastHeard.merge(device, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    SilentDevices silent(Instant now) {
        Instant start = startedAt;
        List<SilentDevices.Device> silent = new ArrayList<>();
        if (start != null) {
            Instant deadline = now.minus(expectedInterval);
            metersByDevice.forEach((device, meters) -> {
                Instant last = lastHeard.get(device);
                Instant since = last == null ? start : last;
                if (since.isBefore(deadline)) {
                    silent.add(new SilentDevices.Device(device, meters, since, last == null));
                }
            });
        }
        // a device that reported and stopped is news; one never heard is more likely a mapping to check
        silent.sort(Comparator.comparing(SilentDevices.Device::neverHeard).thenComparing(SilentDevices.Device::since)
                .thenComparing(SilentDevices.Device::device));
        int neverHeard = (int) silent.stream().filter(SilentDevices.Device::neverHeard).count();
        return new SilentDevices(expectedInterval, silent.size(), neverHeard,
                silent.subList(0, Math.min(LISTED, silent.size())));
    }
}
