package io.busbar.routes.uplink;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The mapped devices of an uplink source that have not reported for longer than they should.
 *
 * @param expectedInterval how often each device should report (the source's {@code expected-interval})
 * @param count            how many devices are silent now
 * @param neverHeard       how many of them have sent nothing since the source started
 * @param longest          at most {@link DeviceSilence#LISTED} of them: those that reported and stopped,
 *                         longest silent first, then those never heard
 */
public record SilentDevices(Duration expectedInterval, int count, int neverHeard, List<Device> longest) {

    public SilentDevices {
        longest = List.copyOf(longest);
    }

    /**
     * One silent device.
     *
     * @param device     its EUI
     * @param meters     the meters the mapping reads from it
     * @param since      its last uplink's arrival (Busbar's clock), or the source's start if it never reported
     * @param neverHeard no uplink from it since the source started
     */
    public record Device(String device, List<String> meters, Instant since, boolean neverHeard) {

        public Device {
            meters = List.copyOf(meters);
        }
    }
}
