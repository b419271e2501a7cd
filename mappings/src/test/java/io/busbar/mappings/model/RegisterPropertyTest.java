package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingOutcome;
import io.busbar.mappings.support.TestDecimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Scaling is exact for any decimals, and raw values keep the decimal form the server meant. */
class RegisterPropertyTest {

    @Property
    void scaledValue_equalsRawTimesScalePlusOffset(
            @ForAll("decimals") BigDecimal raw, @ForAll("nonZeroDecimals") BigDecimal scale, @ForAll("decimals") BigDecimal offset) {
        Register register = new Register("ns=2;i=1", "M1", "1-0:1.8.0", "kWh", scale, offset);

        BigDecimal value = register.scale(raw);

        assertThat(value).isEqualByComparingTo(raw.multiply(scale).add(offset));
    }

    @Property
    void scaledValue_isPlainWithoutTrailingZeros(
            @ForAll("decimals") BigDecimal raw, @ForAll("nonZeroDecimals") BigDecimal scale, @ForAll("decimals") BigDecimal offset) {
        BigDecimal value = new Register("ns=2;i=1", "M1", "1-0:1.8.0", "kWh", scale, offset).scale(raw);

        assertThat(value.scale()).as("no exponent form").isNotNegative();
        if (value.scale() > 0) {
            assertThat(value.unscaledValue().mod(BigInteger.TEN)).as("no trailing zero after the point").isNotEqualTo(BigInteger.ZERO);
        }
        // every digit of the exact product is still there: undoing the scaling gives raw back exactly
        assertThat(value.subtract(offset)).isEqualByComparingTo(raw.multiply(scale));
        assertThat(value.subtract(offset).divide(scale)).isEqualByComparingTo(raw);
    }

    @Property
    void doubleRaw_becomesItsShortestDecimalForm(@ForAll double raw) {
        RawSample sample = new RawSample("ns=2;i=1", raw, Instant.EPOCH, null, 0);

        MappingOutcome outcome = identity().map(ServerRole.PRIMARY, sample);

        if (Double.isFinite(raw)) {
            assertThat(outcome).isInstanceOfSatisfying(MappingOutcome.Mapped.class,
                    mapped -> assertThat(mapped.reading().raw()).isEqualTo(new BigDecimal(Double.toString(raw))));
        } else {
            assertThat(outcome).isInstanceOf(MappingOutcome.Unmappable.class);
        }
    }

    @Property
    void floatRaw_becomesItsShortestDecimalForm(@ForAll float raw) {
        RawSample sample = new RawSample("ns=2;i=1", raw, Instant.EPOCH, null, 0);

        MappingOutcome outcome = identity().map(ServerRole.PRIMARY, sample);

        if (Float.isFinite(raw)) {
            assertThat(outcome).isInstanceOfSatisfying(MappingOutcome.Mapped.class,
                    mapped -> assertThat(mapped.reading().raw()).isEqualTo(new BigDecimal(Float.toString(raw))));
        } else {
            assertThat(outcome).isInstanceOf(MappingOutcome.Unmappable.class);
        }
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        return TestDecimals.decimals(30, -20, 40, BigDecimal.ZERO, new BigDecimal("0.1"), new BigDecimal("1E+20"));
    }

    @Provide
    Arbitrary<BigDecimal> nonZeroDecimals() {
        return decimals().filter(d -> d.signum() != 0);
    }

    private static Mapping identity() {
        return new Mapping("p", List.of(new Register("ns=2;i=1", "M1", "1-0:1.8.0", "kWh", BigDecimal.ONE, BigDecimal.ZERO)));
    }
}
