package io.busbar.mappings.model;

import java.time.Instant;

/**
 * The idempotency key of a reading: pair, meter, quantity and source time. It deliberately leaves
 * out which server delivered the value, so the same reading read from the primary, from the
 * secondary, from history after a failover or replayed after a crash gets the same key.
 */
public final class ReadingKey {

    /**
     * The last source time's text: the readings of an OPC UA publish share one or two source times,
     * and formatting the time was most of the cost of a key. Immutable, so sharing it between the
     * mapping threads of several pairs is safe; a miss only costs the formatting.
     */
    private record Time(Instant instant, String text) {
    }

    private static volatile Time last = new Time(Instant.EPOCH, Instant.EPOCH.toString());

    private ReadingKey() {
    }

    public static String of(String pair, String meter, String quantity, Instant sourceTime) {
        return pair + '/' + meter + '/' + quantity + '/' + text(sourceTime);
    }

    private static String text(Instant sourceTime) {
        Time cached = last;
        if (!cached.instant().equals(sourceTime)) {
            cached = new Time(sourceTime, IsoInstant.format(sourceTime));
            last = cached;
        }
        return cached.text();
    }
}
