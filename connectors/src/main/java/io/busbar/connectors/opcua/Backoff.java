package io.busbar.connectors.opcua;

import java.time.Duration;
import java.util.Objects;

/** A delay that doubles with every failure in a row, from {@code first} up to {@code max}. */
record Backoff(Duration first, Duration max) {

    Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("max " + max + " is shorter than first " + first);
        }
    }

    /** The delay after {@code failures} failures in a row: {@code first} after one, twice that after two, ... */
    Duration after(int failures) {
        Duration delay = first;
        for (int i = 1; i < failures; i++) {
            delay = delay.multipliedBy(2);
            if (delay.compareTo(max) >= 0) {
                return max;
            }
        }
        return delay;
    }
}
