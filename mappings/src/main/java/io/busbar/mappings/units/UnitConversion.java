package io.busbar.mappings.units;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * Converts a value from the unit the server delivers ({@code source-unit}) to the unit Busbar
 * delivers ({@code unit}) by an exact factor.
 *
 * <p>Where the factor is a finite decimal (Wh → kWh is 0.001, Gcal → GJ is 4.1868) the result is
 * exact. Where it is not (GJ → MWh is 1/3.6) the result is rounded to {@link #INEXACT_PRECISION}
 * (34 significant digits, half-even), and {@link #exact()} says so.
 *
 * @param from   the source unit, null for {@link #NONE}
 * @param to     the delivered unit, null for {@link #NONE}
 * @param factor value in {@code to} = value in {@code from} × factor
 */
public record UnitConversion(String from, String to, Rational factor) {

    /** No conversion: the value is already in the delivered unit. */
    public static final UnitConversion NONE = new UnitConversion(null, null, Rational.ONE);
    public static final MathContext INEXACT_PRECISION = MathContext.DECIMAL128;

    public UnitConversion {
        Objects.requireNonNull(factor, "factor");
    }

    public boolean isIdentity() {
        return factor.equals(Rational.ONE);
    }

    /** Whether every converted value is exact (the factor is a finite decimal). */
    public boolean exact() {
        return factor.isTerminating();
    }

    /** The factor as an exact decimal, or null when it does not terminate. */
    public BigDecimal decimalFactor() {
        return factor.decimalOrNull();
    }

    public UnitConversion inverse() {
        return this == NONE ? NONE : new UnitConversion(to, from, factor.reciprocal());
    }

    public BigDecimal apply(BigDecimal value) {
        if (isIdentity()) {
            return value;
        }
        BigDecimal decimal = decimalFactor();
        if (decimal != null) {
            return value.multiply(decimal);
        }
        return value.multiply(new BigDecimal(factor.numerator()))
                .divide(new BigDecimal(factor.denominator()), INEXACT_PRECISION);
    }

    @Override
    public String toString() {
        return this == NONE ? "no conversion" : from + " → " + to + " × " + factor;
    }
}
