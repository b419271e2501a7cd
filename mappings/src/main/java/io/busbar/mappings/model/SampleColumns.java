package io.busbar.mappings.model;

import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A batch of samples in columns, from the server's publish to the pair's loop and while it is held
 * (a standby's recent stream, the live stream behind a read-back); read as {@link RawSample}s made
 * on demand, or scanned ({@link #scan}) without making them.
 *
 * <p>Why: a sample as objects is a {@code RawSample}, a boxed {@code Double} and up to two
 * {@code Instant}s (~110 B in four objects; servers stamp each value's server time on its own, so
 * those are rarely shared). At 10,000 tags × 10 Hz both servers of a pair publish 200,000 of them a
 * second; those queued for the loop or held for seconds were copied by each young collection and
 * ended as old-generation garbage: GC paused Busbar 39 % of the time in -Xmx256m, and the same run
 * in -Xmx1g delivered 2.6 times as much at a third of the CPU per reading (bench, 2026-12-05). Here a
 * sample is the node id's reference, the value as a primitive double when it is a {@code Double},
 * both times as nanoseconds since the epoch and the status: 36 B in arrays the collector copies
 * without tracing.
 *
 * <p>Values that are not {@code Double}s (or null) and times outside 1678–2261 (what nanoseconds in
 * a long count) are kept as they are, in columns made only when a batch has one. Read-only; safe to
 * read from any thread once built.
 */
public final class SampleColumns extends AbstractList<RawSample> implements RandomAccess {

    /** No slot given for a sample ({@link #slot}). */
    public static final int NO_SLOT = -1;
    /** A missing time. */
    private static final long NO_TIME = Long.MIN_VALUE;
    /** A time kept as its {@code Instant} (outside what nanoseconds count). */
    private static final long OTHER_TIME = Long.MIN_VALUE + 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Epoch seconds whose nanoseconds fit in a long with room for the nano part and the sentinels. */
    private static final long MIN_SECOND = Long.MIN_VALUE / NANOS_PER_SECOND + 1;
    private static final long MAX_SECOND = Long.MAX_VALUE / NANOS_PER_SECOND - 1;

    private final String[] nodes;
    private final double[] numbers;
    /** Per sample, its value when it is not a {@code Double} (or null); null when all are Doubles. */
    private final Object[] values;
    /** Per sample, whether {@link #values} holds its value. */
    private final boolean[] boxed;
    private final long[] sourceTimes;
    private final long[] serverTimes;
    /** The times kept as {@code Instant}s, else null. */
    private final Instant[] otherSourceTimes;
    private final Instant[] otherServerTimes;
    private final long[] statuses;
    /** Per sample, where its node stands in the list the subscription was made for; null when none was given. */
    private final int[] slots;
    /**
     * The last source time made into an Instant: the values of a publish mostly share a few times, so
     * scans read them without an Instant each. Immutable, so a racy read sees a whole pair.
     */
    private Recent recent = new Recent(NO_TIME, null);
    /**
     * Source times made into Instants, by a hash of their nanoseconds, made at the first miss of
     * {@link #recent}: a read-back comes node by node, each node through the same seconds, so one
     * remembered time missed on every sample (an Instant per value was a twentieth of Busbar's
     * allocation at 10,000 tags × 10 Hz, where read-backs are most of the ingest). It starts small
     * and doubles, up to {@link #MAX_RECENT_TIMES}, when it keeps losing times to others: a node's
     * run of times must fit for the next node to find them. Its entries are immutable, so a racy
     * read sees a whole one or none.
     */
    private Recent[] recentTimes;
    private int recentTimesLost;

    private static final int MIN_RECENT_TIMES = 64;
    private static final int MAX_RECENT_TIMES = 8_192;

    private record Recent(long nanos, Instant at) {
    }

    /** Takes the builder's arrays; copies only those with room left over (a builder is built once). */
    private SampleColumns(Builder built) {
        int size = built.size;
        nodes = trim(built.nodes, size);
        numbers = trim(built.numbers, size);
        values = built.values == null ? null : trim(built.values, size);
        boxed = built.boxed == null ? null : trim(built.boxed, size);
        sourceTimes = trim(built.sourceTimes, size);
        serverTimes = trim(built.serverTimes, size);
        otherSourceTimes = built.otherSourceTimes == null ? null : trim(built.otherSourceTimes, size);
        otherServerTimes = built.otherServerTimes == null ? null : trim(built.otherServerTimes, size);
        statuses = trim(built.statuses, size);
        slots = built.slots == null ? null : trim(built.slots, size);
    }

    private static <T> T[] trim(T[] column, int size) {
        return column.length == size ? column : Arrays.copyOf(column, size);
    }

    private static double[] trim(double[] column, int size) {
        return column.length == size ? column : Arrays.copyOf(column, size);
    }

    private static long[] trim(long[] column, int size) {
        return column.length == size ? column : Arrays.copyOf(column, size);
    }

    private static int[] trim(int[] column, int size) {
        return column.length == size ? column : Arrays.copyOf(column, size);
    }

    private static boolean[] trim(boolean[] column, int size) {
        return column.length == size ? column : Arrays.copyOf(column, size);
    }

    /** A builder for about {@code expected} samples (it grows beyond). */
    public static Builder builder(int expected) {
        return new Builder(expected);
    }

    /** The batch in columns; the batch itself when it is in columns already. */
    public static SampleColumns of(List<RawSample> batch) {
        if (batch instanceof SampleColumns columns) {
            return columns;
        }
        Builder builder = new Builder(batch.size());
        for (RawSample sample : batch) {
            builder.add(sample.nodeId(), sample.value(), sample.sourceTime(), sample.serverTime(), sample.statusCode());
        }
        return builder.build();
    }

    /**
     * Nanoseconds since the epoch of an OPC UA time given as seconds since the epoch and a nano
     * adjustment (as {@code Instant.ofEpochSecond(seconds, adjustment)} takes them), or
     * {@link Long#MIN_VALUE} when that does not fit: add the time as an {@code Instant} then.
     */
    public static long nanos(long epochSeconds, long nanoAdjustment) {
        if (epochSeconds < MIN_SECOND || epochSeconds > MAX_SECOND
                || Math.abs(nanoAdjustment) >= NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        return epochSeconds * NANOS_PER_SECOND + nanoAdjustment;
    }

    @Override
    public RawSample get(int index) {
        return new RawSample(nodes[index], value(index), sourceTime(index), serverTime(index), statuses[index]);
    }

    @Override
    public int size() {
        return nodes.length;
    }

    /** The node of a sample, without making the sample. */
    public String nodeId(int index) {
        return nodes[index];
    }

    /**
     * Where the sample's node stands in the node list its subscription was made for, or -1 when the
     * source gave none. A hint: whoever keeps state per node checks it against its own list.
     */
    public int slot(int index) {
        return slots == null ? NO_SLOT : slots[index];
    }

    /**
     * The source time of a sample in nanoseconds since the epoch, for ordering without an
     * {@code Instant}: {@link Long#MIN_VALUE} when the server gave none; a time before 1678 counts as
     * {@code Long.MIN_VALUE + 1}, one after 2261 as {@link Long#MAX_VALUE}.
     */
    public long sourceNanos(int index) {
        long nanos = sourceTimes[index];
        if (nanos != OTHER_TIME) {
            return nanos;
        }
        return otherSourceTimes[index].getEpochSecond() < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
    }

    /** The value of a sample. */
    public Object value(int index) {
        return boxed != null && boxed[index] ? values[index] : Double.valueOf(numbers[index]);
    }

    /** The source time of a sample; null when the server gave none. */
    public Instant sourceTime(int index) {
        long nanos = sourceTimes[index];
        if (nanos == NO_TIME) {
            return null;
        } else if (nanos == OTHER_TIME) {
            return otherSourceTimes[index];
        }
        Recent last = recent;
        if (last.nanos == nanos) {
            return last.at;
        }
        Recent[] table = recentTimes;
        if (table == null) {
            table = new Recent[MIN_RECENT_TIMES];
            recentTimes = table;
        }
        int slot = slot(nanos, table.length);
        Recent known = table[slot];
        if (known != null && known.nanos == nanos) {
            recent = known;
            return known.at;
        }
        if (known != null && table.length < MAX_RECENT_TIMES && ++recentTimesLost > table.length) {
            table = new Recent[table.length * 2];
            recentTimes = table;
            recentTimesLost = 0;
            slot = slot(nanos, table.length);
        }
        Instant at = instant(nanos);
        recent = new Recent(nanos, at);
        table[slot] = recent;
        return at;
    }

    /** Fibonacci hashing: times a multiple of 100 ms apart differ only in their high bits. */
    private static int slot(long nanos, int tableLength) {
        return (int) ((nanos * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - Integer.numberOfTrailingZeros(tableLength)));
    }

    /** The server time of a sample; null when the server gave none. */
    public Instant serverTime(int index) {
        long nanos = serverTimes[index];
        return nanos == NO_TIME ? null : nanos == OTHER_TIME ? otherServerTimes[index] : instant(nanos);
    }

    /** The status code of a sample. */
    public long statusCode(int index) {
        return statuses[index];
    }

    /** What a scan reads of each sample, without making the sample (a boxed value, two Instants). */
    @FunctionalInterface
    public interface Scan {
        void sample(int index, String nodeId, Instant sourceTime, long statusCode);
    }

    /** Calls {@code scan} for each sample of {@code batch}, in order: from the columns when it is in them. */
    public static void scan(List<RawSample> batch, Scan scan) {
        if (batch instanceof SampleColumns columns) {
            for (int i = 0; i < columns.nodes.length; i++) {
                scan.sample(i, columns.nodes[i], columns.sourceTime(i), columns.statuses[i]);
            }
        } else {
            for (int i = 0; i < batch.size(); i++) {
                RawSample sample = batch.get(i);
                scan.sample(i, sample.nodeId(), sample.sourceTime(), sample.statusCode());
            }
        }
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    /** Adds samples in order; {@link #build()} once. Not thread-safe. */
    public static final class Builder {

        private String[] nodes;
        private double[] numbers;
        private Object[] values;
        private boolean[] boxed;
        private long[] sourceTimes;
        private long[] serverTimes;
        private Instant[] otherSourceTimes;
        private Instant[] otherServerTimes;
        private long[] statuses;
        /** Allocated with the first sample that has a slot. */
        private int[] slots;
        private int size;
        private boolean built;

        private Builder(int expected) {
            int capacity = Math.max(1, expected);
            nodes = new String[capacity];
            numbers = new double[capacity];
            sourceTimes = new long[capacity];
            serverTimes = new long[capacity];
            statuses = new long[capacity];
        }

        /**
         * A sample with its times in nanoseconds since the epoch ({@link #nanos}); {@code hasSource}
         * and {@code hasServer} false where the server gave no time.
         */
        public Builder add(String nodeId, Object value, boolean hasSource, long sourceNanos, boolean hasServer,
                           long serverNanos, long statusCode) {
            return add(nodeId, NO_SLOT, value, hasSource, sourceNanos, hasServer, serverNanos, statusCode);
        }

        /** As {@link #add(String, Object, boolean, long, boolean, long, long)}, with the node's {@link #slot}. */
        public Builder add(String nodeId, int slot, Object value, boolean hasSource, long sourceNanos,
                           boolean hasServer, long serverNanos, long statusCode) {
            int i = next(nodeId, value, statusCode);
            slot(i, slot);
            sourceTimes[i] = hasSource ? sourceNanos : NO_TIME;
            serverTimes[i] = hasServer ? serverNanos : NO_TIME;
            return this;
        }

        public Builder add(String nodeId, Object value, Instant sourceTime, Instant serverTime, long statusCode) {
            return add(nodeId, NO_SLOT, value, sourceTime, serverTime, statusCode);
        }

        /** As {@link #add(String, Object, Instant, Instant, long)}, with the node's {@link #slot}. */
        public Builder add(String nodeId, int slot, Object value, Instant sourceTime, Instant serverTime,
                           long statusCode) {
            int i = next(nodeId, value, statusCode);
            slot(i, slot);
            sourceTimes[i] = nanosOrOther(sourceTime);
            if (sourceTimes[i] == OTHER_TIME) {
                otherSourceTimes = ensure(otherSourceTimes);
                otherSourceTimes[i] = sourceTime;
            }
            serverTimes[i] = nanosOrOther(serverTime);
            if (serverTimes[i] == OTHER_TIME) {
                otherServerTimes = ensure(otherServerTimes);
                otherServerTimes[i] = serverTime;
            }
            return this;
        }

        /**
         * Room for {@code more} samples at once: a read-back's page of a node arrives with its count,
         * and growing by doubling from a small start copied every column several times per value.
         * At least doubles, so pages and batches appended one after another stay linear.
         */
        public Builder reserve(int more) {
            if (size + more > nodes.length) {
                resize(Math.max(size + more, nodes.length * 2));
            }
            return this;
        }

        /** Appends every sample of {@code batch}, column by column: no sample is made. */
        public Builder addAll(SampleColumns batch) {
            if (built) {
                throw new IllegalStateException("the batch is built already");
            }
            int count = batch.size();
            reserve(count);
            System.arraycopy(batch.nodes, 0, nodes, size, count);
            System.arraycopy(batch.numbers, 0, numbers, size, count);
            System.arraycopy(batch.sourceTimes, 0, sourceTimes, size, count);
            System.arraycopy(batch.serverTimes, 0, serverTimes, size, count);
            System.arraycopy(batch.statuses, 0, statuses, size, count);
            if (batch.values != null) {
                ensureBoxed();
                System.arraycopy(batch.values, 0, values, size, count);
                System.arraycopy(batch.boxed, 0, boxed, size, count);
            }
            if (batch.otherSourceTimes != null) {
                otherSourceTimes = ensure(otherSourceTimes);
                System.arraycopy(batch.otherSourceTimes, 0, otherSourceTimes, size, count);
            }
            if (batch.otherServerTimes != null) {
                otherServerTimes = ensure(otherServerTimes);
                System.arraycopy(batch.otherServerTimes, 0, otherServerTimes, size, count);
            }
            if (batch.slots != null) {
                ensureSlots();
                System.arraycopy(batch.slots, 0, slots, size, count);
            }
            size += count;
            return this;
        }

        public int size() {
            return size;
        }

        public SampleColumns build() {
            built = true; // the columns may share this builder's arrays from now on
            return new SampleColumns(this);
        }

        private int next(String nodeId, Object value, long statusCode) {
            java.util.Objects.requireNonNull(nodeId, "nodeId");
            if (built) {
                throw new IllegalStateException("the batch is built already");
            }
            if (size == nodes.length) {
                grow();
            }
            int i = size++;
            nodes[i] = nodeId;
            statuses[i] = statusCode;
            if (value instanceof Double number) {
                numbers[i] = number;
            } else {
                ensureBoxed();
                values[i] = value;
                boxed[i] = true;
            }
            return i;
        }

        private void slot(int i, int slot) {
            if (slot != NO_SLOT || slots != null) {
                ensureSlots();
                slots[i] = slot;
            }
        }

        /** The columns for values that are not Doubles, made with the first such value. */
        private void ensureBoxed() {
            if (values == null) {
                values = new Object[nodes.length];
                boxed = new boolean[nodes.length];
            }
        }

        /** The slot column, made with the first sample that has a slot; earlier samples have none. */
        private void ensureSlots() {
            if (slots == null) {
                slots = new int[nodes.length];
                Arrays.fill(slots, NO_SLOT);
            }
        }

        private void grow() {
            resize(nodes.length * 2);
        }

        private void resize(int capacity) {
            nodes = Arrays.copyOf(nodes, capacity);
            numbers = Arrays.copyOf(numbers, capacity);
            sourceTimes = Arrays.copyOf(sourceTimes, capacity);
            serverTimes = Arrays.copyOf(serverTimes, capacity);
            statuses = Arrays.copyOf(statuses, capacity);
            if (values != null) {
                values = Arrays.copyOf(values, capacity);
                boxed = Arrays.copyOf(boxed, capacity);
            }
            if (slots != null) {
                slots = Arrays.copyOf(slots, capacity);
                Arrays.fill(slots, size, capacity, NO_SLOT);
            }
            if (otherSourceTimes != null) {
                otherSourceTimes = Arrays.copyOf(otherSourceTimes, capacity);
            }
            if (otherServerTimes != null) {
                otherServerTimes = Arrays.copyOf(otherServerTimes, capacity);
            }
        }

        private Instant[] ensure(Instant[] column) {
            return column != null ? column : new Instant[nodes.length];
        }

        private static long nanosOrOther(Instant time) {
            if (time == null) {
                return NO_TIME;
            }
            long nanos = nanos(time.getEpochSecond(), time.getNano());
            return nanos == Long.MIN_VALUE ? OTHER_TIME : nanos;
        }
    }
}
