package io.busbar.mappings;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance for each of the few distinct values that every register of a large mapping repeats
 * (quantity, unit, tariff, scale, offset, validation rules). Parsed one register at a time they
 * were each a new object: at 100,000 tags a third of a million strings and decimals that say
 * {@code kWh}, {@code 1-0:1.8.0} or {@code 0.001} (a live-heap dump of the scale bench). Values must
 * be immutable with value equality (String, BigDecimal, records of them).
 *
 * <p>The pool keeps at most {@link #MAX_ENTRIES} values for the life of the JVM; beyond that a value
 * is returned as it is, so a mapping with many distinct values (a deadband per register) costs what
 * it cost before, never more.
 */
final class Canonical {

    static final int MAX_ENTRIES = 4_096;

    private static final Canonical SHARED = new Canonical(MAX_ENTRIES);

    private final Map<Object, Object> pool = new ConcurrentHashMap<>();
    private final int maxEntries;

    /** A pool of its own, for tests; the mapping compiler uses the shared one through {@link #of}. */
    Canonical(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The shared pool's instance equal to {@code value}, or {@code value} itself (also for null). */
    static <T> T of(T value) {
        return SHARED.pooled(value);
    }

    @SuppressWarnings("unchecked")
    <T> T pooled(T value) {
        if (value == null) {
            return null;
        }
        Object known = pool.get(value);
        if (known != null) {
            return (T) known;
        }
        if (pool.size() >= maxEntries) {
            return value;
        }
        Object raced = pool.putIfAbsent(value, value);
        return raced == null ? value : (T) raced;
    }
}
