package io.busbar.mappings.units;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An exact ratio of integers, always reduced, with a positive denominator.
 *
 * @param numerator   the dividend
 * @param denominator the divisor, positive
 */
public record Rational(BigInteger numerator, BigInteger denominator) {

    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);
    private static final BigInteger FIVE = BigInteger.valueOf(5);

    public Rational {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() == 0) {
            throw new ArithmeticException("denominator is zero");
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
    }

    public static Rational of(BigDecimal decimal) {
        return decimal.scale() >= 0
                ? new Rational(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()))
                : new Rational(decimal.toBigIntegerExact(), BigInteger.ONE);
    }

    public Rational reciprocal() {
        return new Rational(denominator, numerator);
    }

    public Rational multiply(Rational other) {
        return new Rational(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    /** Whether this is a finite decimal: its reduced denominator has no prime factors but 2 and 5. */
    public boolean isTerminating() {
        BigInteger d = denominator;
        while (!d.testBit(0)) {
            d = d.shiftRight(1);
        }
        while (d.mod(FIVE).signum() == 0) {
            d = d.divide(FIVE);
        }
        return d.equals(BigInteger.ONE);
    }

    /** The exact decimal value, or null when it does not terminate (e.g. 1/3.6). */
    public BigDecimal decimalOrNull() {
        if (!isTerminating()) {
            return null;
        }
        BigDecimal value = new BigDecimal(numerator).divide(new BigDecimal(denominator)).stripTrailingZeros();
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    @Override
    public String toString() {
        return denominator.equals(BigInteger.ONE) ? numerator.toString() : numerator + "/" + denominator;
    }
}
