package io.busbar.accounting;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.IntervalLength;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Group-profile estimation: a gap's consumption (known from the readings on either side of it) is
 * spread over the gap's shortest intervals in proportion to what the other meters of the meter's
 * first group were measured to consume in each of them. A meter in no group, a gap at the edge of
 * the data, or a group that consumed nothing in the gap falls back to a straight line.
 */
final class ProfileEstimator {

    private final AccountingSpec spec;

    ProfileEstimator(AccountingSpec spec) {
        this.spec = spec;
    }

    /**
     * Fills the open boundaries of {@code series} (a group-profile meter) in {@code values}.
     *
     * @param boundaries every boundary instant, in order
     * @param all        the boundary values of every series, before any profile estimate
     */
    void fill(RegisterSeries series, List<Instant> boundaries, Map<Instant, BoundaryValue> values,
              Map<SeriesId, Map<Instant, BoundaryValue>> all) {
        List<SeriesId> others = others(series.id(), all);
        IntervalLength shortest = spec.shortest();
        ZoneId zone = spec.timeZone();
        var points = series.points();
        for (Instant at : boundaries) {
            if (values.containsKey(at)) {
                continue;
            }
            int before = series.floor(at);
            if (before < 0 || before + 1 >= points.size()) {
                continue; // the gap has no end yet (or no start): nothing to spread
            }
            RegisterSeries.Point prev = points.get(before);
            RegisterSeries.Point next = points.get(before + 1);
            BigDecimal upToAt = BigDecimal.ZERO;
            BigDecimal whole = BigDecimal.ZERO;
            for (Instant s = shortest.start(prev.time(), zone); s.isBefore(next.time()); s = shortest.next(s, zone)) {
                BigDecimal weight = measured(others, all, s, shortest.next(s, zone));
                whole = whole.add(weight);
                if (!shortest.next(s, zone).isAfter(at)) {
                    upToAt = upToAt.add(weight);
                }
            }
            BigDecimal gap = next.cumulative().subtract(prev.cumulative());
            values.put(at, whole.signum() > 0
                    ? BoundaryResolver.at(prev, gap.multiply(upToAt).divide(whole, 12, RoundingMode.HALF_EVEN), at, EstimationMethod.GROUP_PROFILE)
                    : BoundaryResolver.interpolate(prev, next, at, EstimationMethod.GROUP_PROFILE));
        }
    }

    /** The same quantity of the other meters of the meter's first group that have values. */
    private List<SeriesId> others(SeriesId id, Map<SeriesId, Map<Instant, BoundaryValue>> all) {
        List<String> groups = spec.groupsOf(id.meter());
        List<SeriesId> others = new ArrayList<>();
        if (groups.isEmpty()) {
            return others;
        }
        for (String meter : spec.meters(groups.get(0))) {
            SeriesId other = new SeriesId(meter, id.quantity());
            if (!meter.equals(id.meter()) && all.containsKey(other)) {
                others.add(other);
            }
        }
        return others;
    }

    private static BigDecimal measured(List<SeriesId> others, Map<SeriesId, Map<Instant, BoundaryValue>> all, Instant start, Instant end) {
        BigDecimal sum = BigDecimal.ZERO;
        for (SeriesId other : others) {
            BoundaryValue from = all.get(other).get(start);
            BoundaryValue to = all.get(other).get(end);
            if (from != null && to != null && !from.estimated() && !to.estimated()) {
                sum = sum.add(to.cumulative().subtract(from.cumulative()).max(BigDecimal.ZERO));
            }
        }
        return sum;
    }
}
