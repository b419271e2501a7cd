package io.busbar.bench;

/**
 * A latency histogram in milliseconds with bounded relative error: 1 ms buckets up to 1 s, 10 ms up
 * to 10 s, 100 ms up to 100 s, 1 s up to 1000 s; larger values count in the last bucket. Not
 * thread-safe; merge copies for windows.
 */
final class Histogram {

    private static final int SPAN = 1000;
    private static final int BUCKETS = 4 * SPAN - 300; // 0..999, then 900 per decade for 3 decades
    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max = Long.MIN_VALUE;
    private long min = Long.MAX_VALUE;

    void record(long millis) {
        long v = Math.max(0, millis);
        counts[index(v)]++;
        total++;
        if (millis > max) {
            max = millis;
        }
        if (millis < min) {
            min = millis;
        }
    }

    void add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    long count() {
        return total;
    }

    long max() {
        return total == 0 ? 0 : max;
    }

    long min() {
        return total == 0 ? 0 : min;
    }

    /** The value at quantile q (0..1): the upper bound of the bucket it falls in. */
    long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upper(i), max);
            }
        }
        return max;
    }

    private static int index(long v) {
        if (v < SPAN) {
            return (int) v;
        }
        if (v < 10L * SPAN) {
            return SPAN + (int) ((v - SPAN) / 10);
        }
        if (v < 100L * SPAN) {
            return 2 * SPAN - 100 + (int) ((v - 10L * SPAN) / 100);
        }
        return (int) Math.min(BUCKETS - 1, 3 * SPAN - 200 + (v - 100L * SPAN) / 1000);
    }

    private static long upper(int i) {
        if (i < SPAN) {
            return i;
        }
        if (i < 2 * SPAN - 100) {
            return SPAN + (long) (i - SPAN + 1) * 10 - 1;
        }
        if (i < 3 * SPAN - 200) {
            return 10L * SPAN + (long) (i - (2 * SPAN - 100) + 1) * 100 - 1;
        }
        return 100L * SPAN + (long) (i - (3 * SPAN - 200) + 1) * 1000 - 1;
    }
}
