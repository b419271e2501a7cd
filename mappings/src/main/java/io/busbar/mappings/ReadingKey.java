package io.busbar.mappings;

import java.time.Instant;

/**
 * The idempotency key of a reading: pair, meter, quantity and source time. It deliberately leaves
 * out which server delivered the value, so the same reading read from the primary, from the
 * secondary, from history after a failover or replayed after a crash gets the same key.
 */
public final class ReadingKey {

    private ReadingKey() {
    }

    public static String of(String pair, String meter, String quantity, Instant sourceTime) {
        return pair + '/' + meter + '/' + quantity + '/' + sourceTime;
    }
}
