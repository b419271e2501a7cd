package io.busbar.accounting;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.IntervalLength;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Consumption per interval of every series over [from, to]: the boundary values of each series
 * (measured, or estimated by the meter's method; group profiles last, as they need the others),
 * then each whole interval of each configured length whose both ends have a value.
 */
final class ConsumptionCalculator {

    /** Readings at most this much longer apart than the shortest interval still measure the boundary between them. */
    static final double MEASURED_SPAN_FACTOR = 1.5;
    /** … and never more than this, for configurations whose shortest interval is a day or a month. */
    static final Duration MAX_MEASURED_SPAN = Duration.ofMinutes(90);

    private final AccountingSpec spec;
    private final BoundaryResolver resolver;

    ConsumptionCalculator(AccountingSpec spec) {
        this.spec = spec;
        Duration shortest = spec.shortest().nominal();
        Duration span = Duration.ofMillis((long) (shortest.toMillis() * MEASURED_SPAN_FACTOR));
        this.resolver = new BoundaryResolver(span.compareTo(MAX_MEASURED_SPAN) > 0 ? MAX_MEASURED_SPAN : span);
    }

    Consumption compute(Map<SeriesId, RegisterSeries> series, Instant from, Instant to) {
        Map<SeriesId, Map<Instant, BoundaryValue>> values = values(series, boundaries(from, to));
        List<IntervalConsumption> intervals = new ArrayList<>();
        for (RegisterSeries s : series.values()) {
            Map<Instant, BoundaryValue> at = values.get(s.id());
            for (IntervalLength length : spec.intervals()) {
                for (Instant start : length.startsWithin(from, to, spec.timeZone())) {
                    Instant end = length.next(start, spec.timeZone());
                    BoundaryValue first = at.get(start);
                    BoundaryValue last = at.get(end);
                    if (first == null || last == null) {
                        continue;
                    }
                    EstimationMethod by = first.estimatedBy() != null ? first.estimatedBy() : last.estimatedBy();
                    intervals.add(new IntervalConsumption(s.id(), length, start, end,
                            BoundaryResolver.strip(last.cumulative().subtract(first.cumulative())), last.register(), by,
                            s.eventsIn(start, end)));
                }
            }
        }
        return new Consumption(intervals, values);
    }

    /** The boundary values at two moments only (totals between them), no intervals. */
    Consumption atMoments(Map<SeriesId, RegisterSeries> series, Instant from, Instant to) {
        return new Consumption(List.of(), values(series, from.equals(to) ? List.of(from) : List.of(from, to)));
    }

    private Map<SeriesId, Map<Instant, BoundaryValue>> values(Map<SeriesId, RegisterSeries> series, List<Instant> boundaries) {
        Map<SeriesId, Map<Instant, BoundaryValue>> values = new HashMap<>();
        for (RegisterSeries s : series.values()) {
            EstimationMethod method = spec.estimationFor(s.id().meter());
            Map<Instant, BoundaryValue> at = new HashMap<>();
            for (Instant b : boundaries) {
                BoundaryValue value = resolver.resolve(s, b, method);
                if (value != null) {
                    at.put(b, value);
                }
            }
            values.put(s.id(), at);
        }
        // profiles read the others' measured values only, so filling them in any order gives the same result
        Map<SeriesId, Map<Instant, BoundaryValue>> beforeProfiles = Map.copyOf(values);
        ProfileEstimator profiles = new ProfileEstimator(spec);
        for (RegisterSeries s : series.values()) {
            if (spec.estimationFor(s.id().meter()) == EstimationMethod.GROUP_PROFILE) {
                profiles.fill(s, boundaries, values.get(s.id()), beforeProfiles);
            }
        }
        return values;
    }

    private List<Instant> boundaries(Instant from, Instant to) {
        TreeSet<Instant> all = new TreeSet<>();
        all.add(from);
        all.add(to);
        for (IntervalLength length : spec.intervals()) {
            for (Instant start : length.startsWithin(from, to, spec.timeZone())) {
                all.add(start);
                all.add(length.next(start, spec.timeZone()));
            }
        }
        return List.copyOf(all);
    }
}
