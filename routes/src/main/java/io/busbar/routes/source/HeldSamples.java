package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A batch of samples kept in columns while it is held (a standby's recent stream, the live stream
 * behind a read-back), read back as {@link RawSample}s made on demand.
 *
 * <p>Why: a held sample as objects is a {@code RawSample}, a boxed {@code Double} and up to two
 * {@code Instant}s (~110 B in four objects; servers stamp each value's server time on its own, so
 * those are rarely shared); a hot standby at 10,000 tags holds tens of thousands of them for
 * seconds, so each young collection copied them and each ended as old-generation garbage (bench:
 * GC 36–53 % of the time at 10,000 × 10 Hz in -Xmx256m). Here a sample is the node id's reference,
 * the value as a primitive double when it was a {@code Double}, both times as nanoseconds since the
 * epoch and the status: 32 B in a few arrays the collector does not trace.
 *
 * <p>Values that are not {@code Double}s (or null) are kept as they are; a batch with a time
 * outside 1678–2261 (what nanoseconds in a long can count) or a status beyond 32 bits is kept as the
 * list it was ({@link #of} returns it). Read-only.
 */
final class HeldSamples extends AbstractList<RawSample> implements RandomAccess {

    /** A missing time; outside the range {@link #nanos} accepts. */
    private static final long NO_TIME = Long.MIN_VALUE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Epoch seconds whose nanoseconds fit in a long with room for the nano part and the sentinel. */
    private static final long MIN_SECOND = Long.MIN_VALUE / NANOS_PER_SECOND + 1;
    private static final long MAX_SECOND = Long.MAX_VALUE / NANOS_PER_SECOND - 1;

    private final String[] nodes;
    /** The values when every one was a {@code Double}, else null. */
    private final double[] numbers;
    /** The values otherwise, else null. */
    private final Object[] values;
    private final long[] sourceTimes;
    private final long[] serverTimes;
    private final int[] statuses;

    private HeldSamples(String[] nodes, double[] numbers, Object[] values, long[] sourceTimes, long[] serverTimes,
                        int[] statuses) {
        this.nodes = nodes;
        this.numbers = numbers;
        this.values = values;
        this.sourceTimes = sourceTimes;
        this.serverTimes = serverTimes;
        this.statuses = statuses;
    }

    /** The batch in columns, or the batch itself when it is empty, already held, or does not fit. */
    static List<RawSample> of(List<RawSample> batch) {
        int size = batch.size();
        if (size == 0 || batch instanceof HeldSamples) {
            return batch;
        }
        String[] nodes = new String[size];
        long[] sourceTimes = new long[size];
        long[] serverTimes = new long[size];
        int[] statuses = new int[size];
        boolean allDoubles = true;
        for (int i = 0; i < size; i++) {
            RawSample sample = batch.get(i);
            long status = sample.statusCode();
            if (status != (status & 0xFFFF_FFFFL) || !fits(sample.sourceTime()) || !fits(sample.serverTime())) {
                return batch;
            }
            nodes[i] = sample.nodeId();
            sourceTimes[i] = nanos(sample.sourceTime());
            serverTimes[i] = nanos(sample.serverTime());
            statuses[i] = (int) status;
            allDoubles &= sample.value() instanceof Double;
        }
        double[] numbers = null;
        Object[] values = null;
        if (allDoubles) {
            numbers = new double[size];
            for (int i = 0; i < size; i++) {
                numbers[i] = (Double) batch.get(i).value();
            }
        } else {
            values = new Object[size];
            for (int i = 0; i < size; i++) {
                values[i] = batch.get(i).value();
            }
        }
        return new HeldSamples(nodes, numbers, values, sourceTimes, serverTimes, statuses);
    }

    @Override
    public RawSample get(int index) {
        Object value = numbers != null ? Double.valueOf(numbers[index]) : values[index];
        return new RawSample(nodes[index], value, instant(sourceTimes[index]), instant(serverTimes[index]),
                statuses[index] & 0xFFFF_FFFFL);
    }

    /** What a scan of held samples reads of each, without making the sample (a boxed value, two Instants). */
    @FunctionalInterface
    interface Scan {
        void sample(String nodeId, Instant sourceTime, long statusCode);
    }

    /** Calls {@code scan} for each sample of {@code batch}, in order: from the columns when it is held in them. */
    static void scan(List<RawSample> batch, Scan scan) {
        if (batch instanceof HeldSamples held) {
            for (int i = 0; i < held.size(); i++) {
                scan.sample(held.nodeId(i), held.sourceTime(i), held.statusCode(i));
            }
        } else {
            for (RawSample sample : batch) {
                scan.sample(sample.nodeId(), sample.sourceTime(), sample.statusCode());
            }
        }
    }

    /** The node of a sample, without making the sample. */
    String nodeId(int index) {
        return nodes[index];
    }

    /** The source time of a sample, without making the sample; null when the server gave none. */
    Instant sourceTime(int index) {
        return instant(sourceTimes[index]);
    }

    /** The status code of a sample, without making the sample. */
    long statusCode(int index) {
        return statuses[index] & 0xFFFF_FFFFL;
    }

    @Override
    public int size() {
        return nodes.length;
    }

    private static boolean fits(Instant time) {
        return time == null || (time.getEpochSecond() >= MIN_SECOND && time.getEpochSecond() <= MAX_SECOND);
    }

    private static long nanos(Instant time) {
        return time == null ? NO_TIME : time.getEpochSecond() * NANOS_PER_SECOND + time.getNano();
    }

    private static Instant instant(long nanos) {
        return nanos == NO_TIME ? null
                : Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
