package io.busbar.accounting;

import io.busbar.mappings.accounting.IntervalLength;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every interval computed, looked up by series, length and start; and the boundary values they came from. */
final class Consumption {

    private record Key(SeriesId series, IntervalLength length, Instant start) {
    }

    private static final Comparator<IntervalConsumption> ORDER = Comparator.comparing(IntervalConsumption::series)
            .thenComparing(IntervalConsumption::length)
            .thenComparing(IntervalConsumption::start);

    private final List<IntervalConsumption> intervals;
    private final Map<Key, IntervalConsumption> byKey = new HashMap<>();
    private final Map<SeriesId, Map<Instant, BoundaryValue>> boundaries;

    Consumption(List<IntervalConsumption> intervals, Map<SeriesId, Map<Instant, BoundaryValue>> boundaries) {
        this.intervals = intervals.stream().sorted(ORDER).toList();
        this.intervals.forEach(i -> byKey.put(new Key(i.series(), i.length(), i.start()), i));
        this.boundaries = boundaries;
    }

    /** In order of meter, quantity, length and start. */
    List<IntervalConsumption> intervals() {
        return intervals;
    }

    IntervalConsumption get(SeriesId series, IntervalLength length, Instant start) {
        return byKey.get(new Key(series, length, start));
    }

    /** The series' value at a boundary instant, or null when it has none. */
    BoundaryValue boundary(SeriesId series, Instant at) {
        Map<Instant, BoundaryValue> values = boundaries.get(series);
        return values == null ? null : values.get(at);
    }
}
