package io.busbar.accounting;

import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.IntervalLength;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one register of one meter counted over one interval: register at the end − register at the
 * start, unwrapped (see {@link RegisterSeries}).
 *
 * @param registerAtEnd the register as it read (or would have read) at {@code end}
 * @param estimatedBy   null when both ends were measured, else the method that made one up
 * @param events        {@code rollover} / {@code reset} when the register went down inside the interval
 */
public record IntervalConsumption(SeriesId series, IntervalLength length, Instant start, Instant end, BigDecimal consumption,
                                  BigDecimal registerAtEnd, EstimationMethod estimatedBy, List<String> events) {

    public IntervalConsumption {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(consumption, "consumption");
        events = List.copyOf(events);
    }

    public boolean estimated() {
        return estimatedBy != null;
    }

    /** The part of {@link #consumption()} that is estimated: all of it or nothing. */
    public BigDecimal estimatedPart() {
        return estimated() ? consumption : BigDecimal.ZERO;
    }
}
