package io.busbar.mappings.model;

import java.time.Instant;

/**
 * The ISO-8601 texts ({@link IsoInstant#format}) of the source times a stream repeats, the last
 * {@value #SLOTS} by a hash of the time. A live publish shares one source time, but a history
 * read-back comes node by node, each node with the same run of times: remembering one time made
 * the key of almost every read-back value format its time again, on the mapping thread and again
 * on the delivery thread (bench profile, 2026-12-05: {@code ReadingKey.isDerived} was 35 of the
 * pair loop's 244 samples). Safe to share between threads: entries are immutable, and a lost
 * update only costs a formatting.
 */
public final class TimeTexts {

    static final int SLOTS = 4_096;

    /** The texts of every thread that builds or checks reading keys. */
    public static final TimeTexts SHARED = new TimeTexts();

    private record Entry(long second, int nano, String text) {
    }

    private final Entry[] entries = new Entry[SLOTS];

    public String of(Instant time) {
        long second = time.getEpochSecond();
        int nano = time.getNano();
        int slot = slot(second, nano);
        Entry entry = entries[slot];
        if (entry != null && entry.second == second && entry.nano == nano) {
            return entry.text;
        }
        String text = IsoInstant.format(time);
        entries[slot] = new Entry(second, nano, text);
        return text;
    }

    /**
     * MurmurHash3's 64-bit finalizer of the time's nanoseconds: a cadence's times share their low
     * bits (10 Hz: multiples of 10^8 ns, eight trailing zero bits), which a multiplicative hash alone
     * mapped to eight slots in turn.
     */
    private static int slot(long second, int nano) {
        long h = second * 1_000_000_000L + nano;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & (SLOTS - 1);
    }
}
