package io.busbar.routes.uplink;

import java.time.Clock;

/** Uplinks per second over the last minute, in one-second buckets (for health). */
final class UplinkRate {

    private static final int SECONDS = 60;
    private final long[] counts = new long[SECONDS];
    private final long[] secondOf = new long[SECONDS];
    private final Clock clock;

    UplinkRate(Clock clock) {
        this.clock = clock;
    }

    synchronized void add(int uplinks) {
        long second = clock.millis() / 1000;
        int slot = (int) (second % SECONDS);
        if (secondOf[slot] != second) {
            secondOf[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += uplinks;
    }

    synchronized double perSecond() {
        long now = clock.millis() / 1000;
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (now - secondOf[i] < SECONDS) {
                total += counts[i];
            }
        }
        return total / (double) SECONDS;
    }
}
