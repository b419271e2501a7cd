package io.busbar.accounting;

import io.busbar.mappings.accounting.EstimationMethod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * A series' value at a boundary. Measured: a reading at the boundary, or a straight line between the
 * readings on either side when they are at most {@code measuredSpan} apart (readings rarely fall on
 * the exact instant). Otherwise the boundary is in a gap and the meter's estimation method decides;
 * {@link EstimationMethod#GROUP_PROFILE} needs the other meters' consumption and is done by
 * {@link ProfileEstimator}, so this class leaves those boundaries open.
 */
final class BoundaryResolver {

    /** Decimal places kept of an interpolated value: far below any meter's resolution. */
    static final int SCALE = 6;

    private final Duration measuredSpan;

    BoundaryResolver(Duration measuredSpan) {
        this.measuredSpan = measuredSpan;
    }

    /** The value at {@code at}, or null when it stays open (no estimate possible, method none, or group profile). */
    BoundaryValue resolve(RegisterSeries series, Instant at, EstimationMethod method) {
        int before = series.floor(at);
        var points = series.points();
        if (before >= 0 && points.get(before).time().equals(at)) {
            RegisterSeries.Point p = points.get(before);
            return new BoundaryValue(at, p.cumulative(), p.value(), null);
        }
        RegisterSeries.Point prev = before >= 0 ? points.get(before) : null;
        RegisterSeries.Point next = before + 1 < points.size() ? points.get(before + 1) : null;
        if (prev != null && next != null && Duration.between(prev.time(), next.time()).compareTo(measuredSpan) <= 0) {
            return interpolate(prev, next, at, null);
        }
        return switch (method) {
            case LINEAR -> prev != null && next != null ? interpolate(prev, next, at, EstimationMethod.LINEAR) : null;
            case LAST_VALUE -> prev != null ? new BoundaryValue(at, prev.cumulative(), prev.value(), EstimationMethod.LAST_VALUE) : null;
            case GROUP_PROFILE, NONE -> null;
        };
    }

    static BoundaryValue interpolate(RegisterSeries.Point prev, RegisterSeries.Point next, Instant at, EstimationMethod by) {
        BigDecimal share = fraction(Duration.between(prev.time(), at), Duration.between(prev.time(), next.time()));
        return at(prev, next.cumulative().subtract(prev.cumulative()).multiply(share), at, by);
    }

    /** prev plus {@code added}, rounded to {@link #SCALE}. */
    static BoundaryValue at(RegisterSeries.Point prev, BigDecimal added, Instant at, EstimationMethod by) {
        BigDecimal step = strip(added.setScale(SCALE, RoundingMode.HALF_EVEN));
        return new BoundaryValue(at, prev.cumulative().add(step), prev.value().add(step), by);
    }

    static BigDecimal fraction(Duration part, Duration whole) {
        return BigDecimal.valueOf(part.toMillis()).divide(BigDecimal.valueOf(whole.toMillis()), 12, RoundingMode.HALF_EVEN);
    }

    static BigDecimal strip(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
