package io.busbar.mappings.model;

import java.math.BigDecimal;

/**
 * Decimal conversions of the per-reading path, with the results of their plain {@link BigDecimal}
 * forms but without the garbage those make for every value: at 10 Hz ingest a {@code String} per
 * double, a {@code BigInteger} per unscaled value and a copy per stripped zero were a sixth of what
 * the pair's loop allocated (bench/README, 2026-12-05).
 */
public final class Decimals {

    /** Decimal digits every long holds (10^18 &lt; 2^63). */
    private static final int LONG_DIGITS = 18;
    /** Up to 15 significant digits a decimal survives a double unchanged (DBL_DIG), so it is the only one of its length. */
    private static final int EXACT_DIGITS = 15;
    /** 10^{@link #EXACT_DIGITS}: unscaled values below it have at most that many digits. */
    private static final double EXACT_BOUND = 1e15;
    /** {@link Double#toString(double)} writes plain decimals in [10^-3, 10^7), computerized notation outside. */
    private static final double PLAIN_FROM = 1e-3;
    private static final double PLAIN_BELOW = 1e7;
    private static final double[] POW10 = new double[19];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p; // exact up to 10^22
            p *= 10;
        }
    }

    private Decimals() {
    }

    /**
     * {@code BigDecimal.valueOf(d)}, i.e. the decimal of {@link Double#toString(double)}, equal in value
     * and scale. Where that text is plain and has at most 15 significant digits (meters' values) the
     * decimal is found by arithmetic: the fewest fraction digits k whose nearest decimal u / 10^k
     * parses back to {@code d}; anything else goes through the text.
     */
    public static BigDecimal ofDouble(double d) {
        double abs = Math.abs(d);
        if (abs >= PLAIN_FROM && abs < PLAIN_BELOW) {
            for (int k = 0; k < POW10.length; k++) {
                double scaled = d * POW10[k];
                if (Math.abs(scaled) >= EXACT_BOUND) {
                    break;
                }
                long unscaled = Math.round(scaled);
                if (unscaled / POW10[k] == d) { // both exact, so the division rounds as parsing "u E-k" does
                    // Double.toString writes at least one fraction digit: 42.0, not 42
                    return k == 0 ? BigDecimal.valueOf(unscaled * 10, 1) : BigDecimal.valueOf(unscaled, k);
                }
            }
        }
        return BigDecimal.valueOf(d);
    }

    /** Whether the unscaled value of {@code d} is a long that {@link #unscaledLong} reads without a BigInteger. */
    public static boolean fitsLong(BigDecimal d) {
        return d.precision() <= LONG_DIGITS;
    }

    /**
     * The unscaled value of a decimal that {@link #fitsLong fits a long}, where
     * {@link BigDecimal#unscaledValue()} builds a BigInteger. Up to 15 digits and a scale of at most
     * 18 it comes back from {@link BigDecimal#doubleValue()} (which divides the long it keeps by
     * 10^scale, correctly rounded, without allocating): times 10^scale that is within 0.2 of the long,
     * so rounding gives it exactly. Beyond, moving the point to the end reads it with one copy.
     */
    public static long unscaledLong(BigDecimal d) {
        int scale = d.scale();
        if (scale >= 0 && scale < POW10.length && d.precision() <= EXACT_DIGITS) {
            return Math.round(d.doubleValue() * POW10[scale]);
        }
        return d.movePointRight(scale).longValueExact();
    }

    /**
     * {@code d} without trailing zeros in the fraction and without an exponent (1E+3 is 1000): what
     * {@link BigDecimal#stripTrailingZeros()} then {@code setScale(0)} for a negative scale give, but
     * {@code d} itself when it already is, which for a fraction ending in a non-zero digit
     * {@code stripTrailingZeros} would copy anyway.
     */
    public static BigDecimal normalized(BigDecimal d) {
        if (d.scale() == 0 || d.scale() > 0 && fitsLong(d) && unscaledLong(d) % 10 != 0) {
            return d;
        }
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
