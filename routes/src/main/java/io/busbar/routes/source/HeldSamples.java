package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A batch of samples kept in columns while it is held (a standby's recent stream, the live stream
 * behind a read-back), read back as {@link RawSample}s made on demand.
 *
 * <p>Why: a held sample as objects is a {@code RawSample}, a boxed {@code Double} and up to two
 * {@code Instant}s (~110 B in four objects); a hot standby at 10,000 tags holds tens of thousands
 * of them for seconds, so each young collection copied them and each ended as old-generation
 * garbage (bench: GC 36–53 % of the time at 10,000 × 10 Hz in -Xmx256m). Here a sample is the node
 * id's reference, the value as a primitive double when it was a {@code Double}, two small indexes
 * into the batch's distinct times and the status: ~22 B in a few arrays the collector does not trace.
 *
 * <p>Values that are not {@code Double}s (or null) are kept as they are; a batch with more than
 * {@value #MAX_TIMES} distinct times (a history read-back), or a status beyond 32 bits, is not worth the columns and is
 * kept as the list it was ({@link #of} returns it). Read-only.
 */
final class HeldSamples extends AbstractList<RawSample> implements RandomAccess {

    /**
     * Distinct times per batch beyond which the batch is kept as it was: a publish has one or two
     * (the servers stamp an update alike), a history read-back one per value, and a linear search
     * through more would cost more than the columns save.
     */
    static final int MAX_TIMES = 64;
    private static final short NO_TIME = -1;

    private final String[] nodes;
    /** The values when every one was a {@code Double}, else null. */
    private final double[] numbers;
    /** The values otherwise, else null. */
    private final Object[] values;
    private final short[] sourceTimes;
    private final short[] serverTimes;
    private final int[] statuses;
    private final Instant[] times;

    private HeldSamples(String[] nodes, double[] numbers, Object[] values, short[] sourceTimes,
                        short[] serverTimes, int[] statuses, Instant[] times) {
        this.nodes = nodes;
        this.numbers = numbers;
        this.values = values;
        this.sourceTimes = sourceTimes;
        this.serverTimes = serverTimes;
        this.statuses = statuses;
        this.times = times;
    }

    /** The batch in columns, or the batch itself when it is empty, already held, or does not fit. */
    static List<RawSample> of(List<RawSample> batch) {
        int size = batch.size();
        if (size == 0 || batch instanceof HeldSamples) {
            return batch;
        }
        String[] nodes = new String[size];
        short[] sourceTimes = new short[size];
        short[] serverTimes = new short[size];
        int[] statuses = new int[size];
        Times distinct = new Times();
        boolean allDoubles = true;
        for (int i = 0; i < size; i++) {
            RawSample sample = batch.get(i);
            long status = sample.statusCode();
            if (status != (status & 0xFFFF_FFFFL)) {
                return batch;
            }
            int source = distinct.indexOf(sample.sourceTime());
            int server = distinct.indexOf(sample.serverTime());
            if (source == Times.FULL || server == Times.FULL) {
                return batch;
            }
            nodes[i] = sample.nodeId();
            sourceTimes[i] = (short) source;
            serverTimes[i] = (short) server;
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
        return new HeldSamples(nodes, numbers, values, sourceTimes, serverTimes, statuses, distinct.toArray());
    }

    @Override
    public RawSample get(int index) {
        Object value = numbers != null ? Double.valueOf(numbers[index]) : values[index];
        return new RawSample(nodes[index], value, time(sourceTimes[index]), time(serverTimes[index]),
                statuses[index] & 0xFFFF_FFFFL);
    }

    /** The node of a sample, without making the sample. */
    String nodeId(int index) {
        return nodes[index];
    }

    /** The source time of a sample, without making the sample; null when the server gave none. */
    Instant sourceTime(int index) {
        return time(sourceTimes[index]);
    }

    /** The status code of a sample, without making the sample. */
    long statusCode(int index) {
        return statuses[index] & 0xFFFF_FFFFL;
    }

    @Override
    public int size() {
        return nodes.length;
    }

    private Instant time(short index) {
        return index == NO_TIME ? null : times[index];
    }

    /** The distinct times of a batch in first-seen order; a batch mostly has one or two. */
    private static final class Times {

        static final int FULL = -2;

        private Instant[] found = new Instant[4];
        private int count;
        private int last = -1;

        int indexOf(Instant time) {
            if (time == null) {
                return NO_TIME;
            }
            if (last >= 0 && found[last].equals(time)) {
                return last;
            }
            for (int i = 0; i < count; i++) {
                if (found[i].equals(time)) {
                    last = i;
                    return i;
                }
            }
            if (count == MAX_TIMES) {
                return FULL;
            }
            if (count == found.length) {
                found = Arrays.copyOf(found, Math.min(MAX_TIMES, count * 2));
            }
            found[count] = time;
            last = count;
            return count++;
        }

        Instant[] toArray() {
            return Arrays.copyOf(found, count);
        }
    }
}
