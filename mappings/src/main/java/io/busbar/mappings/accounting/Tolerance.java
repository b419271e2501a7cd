package io.busbar.mappings.accounting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * How far a group's parent meter may differ from the sum of its members before it is an imbalance:
 * {@code percent} of the parent's consumption plus {@code absolute} (in the quantity's unit). Line
 * losses of a few percent are normal; the absolute part keeps near-zero intervals quiet.
 */
public record Tolerance(BigDecimal percent, BigDecimal absolute) {

    public static final BigDecimal DEFAULT_PERCENT = new BigDecimal("5");
    public static final BigDecimal DEFAULT_ABSOLUTE = BigDecimal.ZERO;
    public static final Tolerance DEFAULT = new Tolerance(DEFAULT_PERCENT, DEFAULT_ABSOLUTE);

    public Tolerance {
        Objects.requireNonNull(percent, "percent");
        Objects.requireNonNull(absolute, "absolute");
    }

    /** The largest difference that is still balanced, for this parent consumption. */
    public BigDecimal allowedDifference(BigDecimal parent) {
        return parent.abs().multiply(percent).divide(BigDecimal.valueOf(100), MathContext.DECIMAL64).add(absolute);
    }
}
