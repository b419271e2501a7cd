package io.busbar.mappings.model;

import java.time.Instant;

/**
 * The idempotency key of a reading: pair, meter, quantity and source time. It deliberately leaves
 * out which server delivered the value, so the same reading read from the primary, from the
 * secondary, from history after a failover or replayed after a crash gets the same key.
 *
 * <p>The text is {@code pair/meter/quantity/ISO-8601 source time}. A register's part before the time
 * never changes, so the mapping keeps it ({@link #prefix}) and a key costs one concatenation
 * ({@link #of(String, Instant)}); the binary buffer format stores only whether a key is the derived
 * one ({@link #isDerived}) and builds it again on delivery.
 */
public final class ReadingKey {

    private ReadingKey() {
    }

    public static String of(String pair, String meter, String quantity, Instant sourceTime) {
        return of(pair, meter, quantity, text(sourceTime));
    }

    /**
     * The key of {@link #of(String, String, String, Instant)} from the source time's text
     * ({@link IsoInstant#format}), for a caller that has it already.
     */
    public static String of(String pair, String meter, String quantity, String sourceTimeText) {
        return pair + '/' + meter + '/' + quantity + '/' + sourceTimeText;
    }

    /** The part of a register's keys before the source time, for {@link #of(String, Instant)}. */
    public static String prefix(String pair, String meter, String quantity) {
        return pair + '/' + meter + '/' + quantity + '/';
    }

    /** @param prefix what {@link #prefix} gave for the reading's pair, meter and quantity */
    public static String of(String prefix, Instant sourceTime) {
        return prefix.concat(text(sourceTime));
    }

    /**
     * Whether {@code key} is exactly the key {@link #of(String, String, String, Instant)} gives for
     * these parts, compared in place (no key is built): what the binary buffer format need not store.
     */
    public static boolean isDerived(String key, String pair, String meter, String quantity, Instant sourceTime) {
        if (key == null || pair == null || meter == null || quantity == null || sourceTime == null) {
            return false;
        }
        int at = part(key, 0, pair);
        at = at < 0 ? at : part(key, at, meter);
        at = at < 0 ? at : part(key, at, quantity);
        if (at < 0) {
            return false;
        }
        String time = text(sourceTime);
        return key.length() == at + time.length() && key.startsWith(time, at);
    }

    /** The index after {@code text} and its '/' at {@code at} in {@code key}, or -1 when they are not there. */
    private static int part(String key, int at, String text) {
        int end = at + text.length();
        return end < key.length() && key.startsWith(text, at) && key.charAt(end) == '/' ? end + 1 : -1;
    }

    private static String text(Instant sourceTime) {
        return TimeTexts.SHARED.of(sourceTime);
    }
}
