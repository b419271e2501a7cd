package io.busbar.mappings.wire;

import io.busbar.mappings.model.Reading;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Readings decoded from a batch that this version's {@link ReadingCodec#toJsonBatch} wrote, each
 * with the bytes it was read from — which are then exactly {@link ReadingCodec#toJson} of it, as
 * UTF-8. Per-record targets (Kafka) send those bytes instead of encoding every reading a second
 * time; that re-encode was a seventh of Busbar's CPU in the benchmark.
 */
public final class EncodedReadings extends AbstractList<Reading> implements RandomAccess {

    private final List<Reading> readings;
    private final byte[] source;
    private final int[] starts;
    private final int[] ends;

    EncodedReadings(List<Reading> readings, byte[] source, int[] starts, int[] ends) {
        this.readings = readings;
        this.source = source;
        this.starts = starts;
        this.ends = ends;
    }

    @Override
    public Reading get(int index) {
        return readings.get(index);
    }

    @Override
    public int size() {
        return readings.size();
    }

    /** The wire-format JSON of reading {@code index}: a copy of the bytes it was decoded from. */
    public byte[] json(int index) {
        return Arrays.copyOfRange(source, starts[index], ends[index]);
    }
}
