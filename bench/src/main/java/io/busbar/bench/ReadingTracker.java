package io.busbar.bench;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * What arrived at the target, reading by reading: which (tag, source time) were delivered and how
 * often, when (the broker's append time, i.e. when the target acknowledged), from which server,
 * and with what latency (append time − source time). Answers per append-time window (throughput,
 * latency) and per source-time window (lost, duplicates), and fires watches (first reading from a
 * server after an instant; first reading back under a latency after an instant).
 *
 * <p>Tags are the bench mapping's: meter {@code MeterNNNNN} (1-based) with quantity {@link
 * #ENERGY} or {@link #POWER}; tag index = 2 × (meter − 1) + (power ? 1 : 0). Thread-safe: every
 * method locks the tracker.
 */
final class ReadingTracker {

    static final String ENERGY = "1-0:1.8.0";
    static final String POWER = "1-0:1.7.0";
    private static final byte[] KEY_FIELD = "\"key\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_FIELD = "\"server\":\"".getBytes(StandardCharsets.US_ASCII);

    private final long startMs;
    private final long baseMs;
    private final long granularityMs;
    private final List<BitSet> seen = new ArrayList<>();
    /** Per append second since start. */
    private final List<Bucket> buckets = new ArrayList<>();
    /** Duplicates per source second since base. */
    private final List<long[]> sourceSecondDuplicates = new ArrayList<>();
    private final long[] lastSourceSlot;
    private final List<Watch> watches = new ArrayList<>();
    private long total;
    private long duplicates;
    private long reordered;
    private long unparsable;
    private long outOfRange;
    private long lastAppendMs;
    private long lastConsumeLagMs;

    /**
     * @param startMs the run's start: append-time buckets count from here; source times from two
     *     minutes earlier on are tracked (history backfill may reach back)
     * @param granularityMs the finest update interval of the run; source times are multiples of it
     * @param tags the number of tags
     */
    ReadingTracker(long startMs, long granularityMs, int tags) {
        this.startMs = startMs;
        this.granularityMs = granularityMs;
        this.baseMs = Math.floorDiv(startMs - 120_000, granularityMs) * granularityMs;
        for (int i = 0; i < tags; i++) {
            seen.add(new BitSet());
        }
        this.lastSourceSlot = new long[tags];
        java.util.Arrays.fill(lastSourceSlot, -1);
    }

    /** One consumed record: its value (a reading in the wire format) and the broker's append time. */
    synchronized void record(byte[] value, long appendMs, long consumeMs) {
        lastAppendMs = Math.max(lastAppendMs, appendMs);
        lastConsumeLagMs = consumeMs - appendMs;
        String key = field(value, KEY_FIELD);
        String server = field(value, SERVER_FIELD);
        int tag;
        long sourceMs;
        try {
            // key = pair/meter/quantity/sourceTime
            int a = key.indexOf('/');
            int b = key.indexOf('/', a + 1);
            int c = key.lastIndexOf('/');
            String meter = key.substring(a + 1, b);
            String quantity = key.substring(b + 1, c);
            int meterIndex = Integer.parseInt(meter.substring(5));
            tag = 2 * (meterIndex - 1) + (POWER.equals(quantity) ? 1 : 0);
            sourceMs = parseInstant(key, c + 1);
            if (tag < 0 || tag >= seen.size()) {
                throw new IllegalArgumentException("tag " + tag);
            }
        } catch (RuntimeException e) {
            unparsable++;
            return;
        }
        total++;
        long latency = appendMs - sourceMs;
        Bucket bucket = bucket(appendMs);
        bucket.count++;
        bucket.latency.record(latency);
        boolean secondary = "secondary".equals(server);
        if (secondary) {
            bucket.secondary++;
        }
        long offset = sourceMs - baseMs;
        if (offset < 0 || offset % granularityMs != 0) {
            outOfRange++;
        } else {
            int slot = (int) (offset / granularityMs);
            BitSet bits = seen.get(tag);
            if (bits.get(slot)) {
                duplicates++;
                bucket.duplicates++;
                sourceSecond(offset / 1000)[0]++;
            } else {
                bits.set(slot);
            }
            if (slot < lastSourceSlot[tag]) {
                reordered++;
            }
            lastSourceSlot[tag] = Math.max(lastSourceSlot[tag], slot);
        }
        if (!watches.isEmpty()) {
            for (Watch watch : watches) {
                if (!watch.result.isDone() && appendMs >= watch.afterMs
                        && (watch.server == null || watch.server.equals(server)) && watch.latency.test(latency)) {
                    watch.result.complete(new Arrival(appendMs, sourceMs));
                }
            }
        }
    }

    /** Completes with the first reading from {@code server} appended at or after {@code afterMs}: its append and source times. */
    synchronized CompletableFuture<Arrival> watchServer(String server, long afterMs) {
        Watch watch = new Watch(server, afterMs, latency -> true);
        watches.add(watch);
        return watch.result;
    }

    /** Completes with the append time of the first reading appended at or after {@code afterMs} with latency ≤ max. */
    synchronized CompletableFuture<Long> watchLatencyBelow(long maxLatencyMs, long afterMs) {
        Watch watch = new Watch(null, afterMs, latency -> latency <= maxLatencyMs);
        watches.add(watch);
        return watch.result.thenApply(Arrival::appendMs);
    }

    synchronized long total() {
        return total;
    }

    synchronized long lastAppendMs() {
        return lastAppendMs;
    }

    synchronized long lastConsumeLagMs() {
        return lastConsumeLagMs;
    }

    synchronized long unparsable() {
        return unparsable;
    }

    synchronized long reordered() {
        return reordered;
    }

    /** Readings appended in [fromMs, toMs), whole seconds. */
    synchronized Window window(long fromMs, long toMs) {
        Window w = new Window();
        int from = (int) Math.max(0, Math.floorDiv(fromMs - startMs, 1000));
        int to = (int) Math.max(from, Math.floorDiv(toMs - startMs, 1000));
        for (int i = from; i < to && i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            w.count += b.count;
            w.duplicates += b.duplicates;
            w.secondary += b.secondary;
            w.latency.add(b.latency);
        }
        w.seconds = to - from;
        return w;
    }

    /**
     * For source times in [fromMs, toMs) that are multiples of {@code intervalMs} and the first
     * {@code tagCount} tags: how many (tag, time) were expected, how many never arrived, and how many arrived more than once.
     */
    synchronized Completeness completeness(long fromMs, long toMs, long intervalMs, int tagCount) {
        Completeness c = new Completeness();
        List<BitSet> tagsSeen = seen.subList(0, Math.min(tagCount, seen.size()));
        long first = Math.floorDiv(fromMs + intervalMs - 1, intervalMs) * intervalMs;
        for (long t = first; t < toMs; t += intervalMs) {
            long offset = t - baseMs;
            if (offset < 0) {
                continue;
            }
            int slot = (int) (offset / granularityMs);
            for (BitSet bits : tagsSeen) {
                c.expected++;
                if (!bits.get(slot)) {
                    c.missing++;
                }
            }
        }
        // duplicates are kept per source second: the window is widened to whole seconds
        long firstSecond = Math.max(0, Math.floorDiv(fromMs - baseMs, 1000));
        long lastSecond = Math.floorDiv(toMs - 1 - baseMs, 1000);
        for (long s = firstSecond; s <= lastSecond && s < sourceSecondDuplicates.size(); s++) {
            c.duplicates += sourceSecondDuplicates.get((int) s)[0];
        }
        return c;
    }

    /** Source times of missing readings in [fromMs, toMs): the first and last missing instant, for reports. */
    synchronized long[] missingSpan(long fromMs, long toMs, long intervalMs, int tagCount) {
        List<BitSet> tagsSeen = seen.subList(0, Math.min(tagCount, seen.size()));
        long firstMissing = -1;
        long lastMissing = -1;
        long first = Math.floorDiv(fromMs + intervalMs - 1, intervalMs) * intervalMs;
        for (long t = first; t < toMs; t += intervalMs) {
            int slot = (int) ((t - baseMs) / granularityMs);
            for (BitSet bits : tagsSeen) {
                if (!bits.get(slot)) {
                    if (firstMissing < 0) {
                        firstMissing = t;
                    }
                    lastMissing = t;
                    break;
                }
            }
        }
        return new long[] {firstMissing, lastMissing};
    }

    private Bucket bucket(long appendMs) {
        int index = (int) Math.max(0, Math.min(7_200, Math.floorDiv(appendMs - startMs, 1000)));
        while (buckets.size() <= index) {
            buckets.add(new Bucket());
        }
        return buckets.get(index);
    }

    private long[] sourceSecond(long second) {
        int index = (int) Math.min(second, 7_200);
        while (sourceSecondDuplicates.size() <= index) {
            sourceSecondDuplicates.add(new long[1]);
        }
        return sourceSecondDuplicates.get(index);
    }

    /** The JSON string value after {@code field}; readings are flat and the fields escape-free. */
    private static String field(byte[] json, byte[] field) {
        int at = indexOf(json, field);
        if (at < 0) {
            return "";
        }
        int start = at + field.length;
        int end = start;
        while (end < json.length && json[end] != '"') {
            end++;
        }
        return new String(json, start, end - start, StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Epoch ms of an ISO-8601 UTC instant as {@code Instant.toString()} writes it, from {@code at}. */
    static long parseInstant(String s, int at) {
        int year = Integer.parseInt(s, at, at + 4, 10);
        int month = Integer.parseInt(s, at + 5, at + 7, 10);
        int day = Integer.parseInt(s, at + 8, at + 10, 10);
        int hour = Integer.parseInt(s, at + 11, at + 13, 10);
        int minute = Integer.parseInt(s, at + 14, at + 16, 10);
        int second = Integer.parseInt(s, at + 17, at + 19, 10);
        int millis = 0;
        int i = at + 19;
        if (i < s.length() && s.charAt(i) == '.') {
            int digits = 0;
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                if (digits < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                digits++;
                i++;
            }
            for (int d = digits; d < 3; d++) {
                millis *= 10;
            }
        }
        if (i >= s.length() || s.charAt(i) != 'Z') {
            throw new IllegalArgumentException("not a UTC instant: " + s.substring(at));
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static final class Bucket {
        long count;
        long duplicates;
        long secondary;
        final Histogram latency = new Histogram();
    }

    /** A watched reading: when it was appended at Kafka, and its source time. */
    record Arrival(long appendMs, long sourceMs) {
    }

    private record Watch(String server, long afterMs, LongPredicate latency, CompletableFuture<Arrival> result) {
        Watch(String server, long afterMs, LongPredicate latency) {
            this(server, afterMs, latency, new CompletableFuture<>());
        }
    }

    static final class Window {
        long count;
        long duplicates;
        long secondary;
        int seconds;
        final Histogram latency = new Histogram();

        double perSecond() {
            return seconds == 0 ? 0 : (double) count / seconds;
        }
    }

    static final class Completeness {
        long expected;
        long missing;
        long duplicates;
    }
}
