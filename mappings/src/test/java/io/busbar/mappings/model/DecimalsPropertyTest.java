package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The allocation-free forms must be indistinguishable from the JDK's: same value and same scale. */
class DecimalsPropertyTest {

    @Property(tries = 5000)
    void ofDouble_isBigDecimalValueOf_forAnyDouble(@ForAll("finiteDoubles") double d) {
        assertThat(Decimals.ofDouble(d)).isEqualTo(BigDecimal.valueOf(d)); // equals: value and scale
    }

    @Property(tries = 5000)
    void ofDouble_isBigDecimalValueOf_forMeterValues(@ForAll("meterValues") double d) {
        assertThat(Decimals.ofDouble(d)).isEqualTo(BigDecimal.valueOf(d));
    }

    /** A seeded sweep far wider than the properties' tries (1.6 million values; 8 million passed once by hand). */
    @Test
    void ofDouble_isBigDecimalValueOf_overASeededSweep() {
        SplittableRandom random = new SplittableRandom(20261205);
        for (int i = 0; i < 400_000; i++) {
            long unscaled = random.nextLong(-100_000_000_000_000L, 100_000_000_000_000L) / (1L << random.nextInt(48));
            double decimal = Double.parseDouble(unscaled + "E-" + random.nextInt(12));
            double bits = Double.longBitsToDouble(random.nextLong());
            for (double d : new double[] {decimal, bits, decimal / 3, decimal * 0.1}) {
                if (Double.isFinite(d) && !Decimals.ofDouble(d).equals(BigDecimal.valueOf(d))) {
                    assertThat(Decimals.ofDouble(d)).as("of %s (%s)", d, Double.doubleToLongBits(d))
                            .isEqualTo(BigDecimal.valueOf(d));
                }
            }
        }
    }

    @Test
    void ofDouble_edgesOfThePlainRange_andOfExactDigits() {
        for (double d : new double[] {0.0, -0.0, 1e-3, 0.000999, 9_999_999.999, 1e7, 42.0, -42.0, 0.1 + 0.2,
                123_456_789_012_345.0 / 1e8, 999_999_999_999_999.0 / 1e9, 1_000_000.25, 4.35, 1e-3 + 1e-17,
                Double.MIN_VALUE, Double.MAX_VALUE, 2e-3, 7_999_999.9999999}) {
            assertThat(Decimals.ofDouble(d)).as("%s", d).isEqualTo(BigDecimal.valueOf(d));
        }
    }

    @Property(tries = 5000)
    void normalized_isStripTrailingZerosWithoutExponent(@ForAll("decimals") BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        BigDecimal expected = stripped.scale() < 0 ? stripped.setScale(0) : stripped;

        assertThat(Decimals.normalized(d)).isEqualTo(expected);
    }

    @Property(tries = 5000)
    void unscaledLong_isTheUnscaledValue_whenItFitsALong(@ForAll("decimals") BigDecimal d) {
        if (Decimals.fitsLong(d)) {
            assertThat(Decimals.unscaledLong(d)).isEqualTo(d.unscaledValue().longValueExact());
        } else {
            assertThat(d.precision()).isGreaterThan(18);
        }
    }

    @Test
    void unscaledLong_atTheEdgesOfALong() {
        for (String text : new String[] {"999999999999999999", "-999999999999999999", "0.000000000000000001",
                "1E+300", "-1.5E-300", "0", "0.000"}) {
            BigDecimal d = new BigDecimal(text);
            assertThat(Decimals.fitsLong(d)).as(text).isTrue();
            assertThat(Decimals.unscaledLong(d)).as(text).isEqualTo(d.unscaledValue().longValueExact());
        }
        assertThat(Decimals.fitsLong(new BigDecimal("9223372036854775807"))).isFalse(); // 19 digits: the BigInteger path
    }

    @Provide
    Arbitrary<Double> finiteDoubles() {
        return Arbitraries.doubles().filter(Double::isFinite);
    }

    @Provide
    Arbitrary<Double> meterValues() {
        return Combinators.combine(Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L),
                Arbitraries.integers().between(0, 9)).as((unscaled, digits) -> Double.parseDouble(unscaled + "E-" + digits));
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.oneOf(
                Arbitraries.longs().map(BigInteger::valueOf),
                Arbitraries.longs().between(-1_000, 1_000).map(v -> BigInteger.valueOf(v * 1_000)),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(25).negate(), BigInteger.TEN.pow(25)));
        return Combinators.combine(unscaled, Arbitraries.integers().between(-12, 20)).as(BigDecimal::new);
    }
}
