package io.busbar.mappings.units;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.support.TestDecimals;
import io.busbar.mappings.validation.ValidationRules;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Scaling and unit conversion are exact wherever the factor is a finite decimal, and undo exactly. */
class UnitConversionPropertyTest {

    private static final List<String> SYMBOLS = UnitCatalog.symbols();

    @Property(tries = 400)
    void convertingThereAndBack_givesTheValueBackExactly(@ForAll("decimals") BigDecimal value, @ForAll("pairs") List<String> pair) {
        UnitConversion there = UnitCatalog.conversion(pair.get(0), pair.get(1));
        UnitConversion back = there.inverse();
        Assume.that(there.exact() && back.exact());

        assertThat(back.apply(there.apply(value))).isEqualByComparingTo(value);
    }

    @Property(tries = 400)
    void exactConversion_isTheValueTimesTheRationalFactor(@ForAll("decimals") BigDecimal value, @ForAll("pairs") List<String> pair) {
        UnitConversion conversion = UnitCatalog.conversion(pair.get(0), pair.get(1));
        Assume.that(conversion.exact());

        BigDecimal converted = conversion.apply(value);

        // converted × denominator = value × numerator, in integers: no rounding anywhere
        assertThat(converted.multiply(new BigDecimal(conversion.factor().denominator())))
                .isEqualByComparingTo(value.multiply(new BigDecimal(conversion.factor().numerator())));
    }

    @Property(tries = 400)
    void inexactConversion_isRightTo34SignificantDigits(@ForAll("decimals") BigDecimal value,
                                                         @ForAll("inexactPairs") List<String> pair) {
        UnitConversion conversion = UnitCatalog.conversion(pair.get(0), pair.get(1));
        Assume.that(value.signum() != 0);

        BigDecimal converted = conversion.apply(value);
        BigDecimal exactTimesDenominator = value.multiply(new BigDecimal(conversion.factor().numerator()));
        BigDecimal error = converted.multiply(new BigDecimal(conversion.factor().denominator())).subtract(exactTimesDenominator).abs();

        assertThat(converted.precision()).isLessThanOrEqualTo(34);
        // relative error at most half a unit in the 34th digit
        assertThat(error.divide(exactTimesDenominator.abs(), MathContext.DECIMAL64)).isLessThanOrEqualTo(new BigDecimal("1E-33"));
    }

    @Property(tries = 400)
    void registerValue_isRawTimesScalePlusOffsetThenTheUnitFactor(
            @ForAll("decimals") BigDecimal raw, @ForAll("scales") BigDecimal scale, @ForAll("decimals") BigDecimal offset,
            @ForAll("pairs") List<String> pair) {
        UnitConversion conversion = UnitCatalog.conversion(pair.get(0), pair.get(1));
        Assume.that(conversion.exact());
        Register register = new Register("ns=2;i=1", "M1", "1-0:1.8.0", pair.get(1), scale, offset, MeterAttributes.NONE,
                Accumulation.REGISTER, "T0", null, null, conversion, ValidationRules.defaultsFor(Accumulation.REGISTER));

        BigDecimal value = register.value(raw);

        assertThat(value).isEqualByComparingTo(raw.multiply(scale).add(offset).multiply(conversion.decimalFactor()));
        assertThat(value.scale()).as("written plainly").isNotNegative();
        // and every digit is there: undoing the conversion and the scaling gives the raw value back
        BigDecimal inSourceUnit = conversion.inverse().apply(value);
        Assume.that(conversion.inverse().exact());
        assertThat(inSourceUnit.subtract(offset).divide(scale)).isEqualByComparingTo(raw);
    }

    @Provide
    Arbitrary<List<String>> pairs() {
        return Arbitraries.of(SYMBOLS).list().ofSize(2)
                .filter(p -> UnitCatalog.kindOf(p.get(0)).equals(UnitCatalog.kindOf(p.get(1))));
    }

    /** Only the pairs without a finite decimal factor: drawing them directly, not by rejection, keeps the property from exhausting. */
    @Provide
    Arbitrary<List<String>> inexactPairs() {
        List<List<String>> inexact = new java.util.ArrayList<>();
        for (String from : SYMBOLS) {
            for (String to : SYMBOLS) {
                if (UnitCatalog.kindOf(from).equals(UnitCatalog.kindOf(to)) && !UnitCatalog.conversion(from, to).exact()) {
                    inexact.add(List.of(from, to));
                }
            }
        }
        return Arbitraries.of(inexact);
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        return TestDecimals.decimals(25, -10, 20, BigDecimal.ZERO, new BigDecimal("0.001"), new BigDecimal("999999999.999"));
    }

    /** Scales that divide exactly (powers of ten times small integers with 2s and 5s), as real K_m are. */
    @Provide
    Arbitrary<BigDecimal> scales() {
        return Combinators.combine(Arbitraries.of(1, 2, 4, 5, 8, 10, 25, 125, -1), Arbitraries.integers().between(-6, 6))
                .as((unscaled, exponent) -> new BigDecimal(BigInteger.valueOf(unscaled), exponent));
    }
}
