package io.busbar.mappings.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingOutcome;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.support.testing.MutableClock;
import io.busbar.mappings.units.UnitConversion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For a register with {@code digits}, a decrease from above 90% of 10^digits to below 10% of it is
 * a rollover, any other decrease a reset, and no decrease neither. Raw values may have decimals.
 */
class RolloverPropertyTest {

    private static final Instant T0 = Instant.parse("2024-03-31T00:00:00Z");
    private static final ValidationRules NOTHING_ELSE = new ValidationRules(BadQualityPolicy.PASS_FLAGGED, null, null, null, null, 0);

    @Property(tries = 400)
    void decreaseFromNearTheTopToNearZero_isARollover(
            @ForAll @IntRange(min = 1, max = 15) int digits, @ForAll("fractions") BigDecimal high, @ForAll("fractions") BigDecimal low) {
        BigDecimal modulus = BigDecimal.TEN.pow(digits);
        // previous in (0.9 M, M), next in [0, 0.1 M)
        BigDecimal previous = modulus.multiply(new BigDecimal("0.9").add(new BigDecimal("0.1").multiply(high)));
        BigDecimal next = modulus.multiply(new BigDecimal("0.1").multiply(low));
        Assume.that(previous.compareTo(modulus.multiply(new BigDecimal("0.9"))) > 0 && previous.compareTo(modulus) < 0);
        Assume.that(next.compareTo(modulus.multiply(new BigDecimal("0.1"))) < 0);

        assertThat(flagsOfSecond(digits, previous, next)).containsExactly("rollover");
    }

    @Property(tries = 400)
    void anyOtherDecrease_isAReset(
            @ForAll @IntRange(min = 1, max = 15) int digits, @ForAll("fractions") BigDecimal a, @ForAll("fractions") BigDecimal b) {
        BigDecimal modulus = BigDecimal.TEN.pow(digits);
        BigDecimal previous = modulus.multiply(a.max(b));
        BigDecimal next = modulus.multiply(a.min(b));
        Assume.that(next.compareTo(previous) < 0);
        boolean nearTop = previous.compareTo(modulus.multiply(new BigDecimal("0.9"))) > 0;
        boolean nearZero = next.compareTo(modulus.multiply(new BigDecimal("0.1"))) < 0;
        Assume.that(!(nearTop && nearZero));

        assertThat(flagsOfSecond(digits, previous, next)).containsExactly("reset");
    }

    @Property(tries = 400)
    void noDecrease_isNeither(
            @ForAll @IntRange(min = 1, max = 15) int digits, @ForAll("fractions") BigDecimal a, @ForAll("fractions") BigDecimal b) {
        BigDecimal modulus = BigDecimal.TEN.pow(digits);

        assertThat(flagsOfSecond(digits, modulus.multiply(a.min(b)), modulus.multiply(a.max(b)))).isEmpty();
    }

    @Property(tries = 400)
    void wrappingCounter_isOnlyEverFlaggedRollover(
            @ForAll @IntRange(min = 2, max = 9) int digits, @ForAll("steps") List<Integer> steps) {
        BigInteger modulus = BigInteger.TEN.pow(digits);
        // a counter that advances by less than 10% of its modulus per reading only ever rolls over
        Register register = register(digits);
        Validator validator = new Validator(new MutableClock(T0.plusSeconds(1_000_000)));
        Mapping mapping = new Mapping("plant", List.of(register));
        BigInteger counter = modulus.multiply(BigInteger.valueOf(95)).divide(BigInteger.valueOf(100));
        int second = 0;
        assertThat(flagsOf(validator, mapping, register, second++, new BigDecimal(counter))).isEmpty();
        for (int step : steps) {
            BigInteger advance = modulus.multiply(BigInteger.valueOf(step)).divide(BigInteger.valueOf(1000));
            BigInteger before = counter;
            counter = counter.add(advance).mod(modulus);
            List<String> flags = flagsOf(validator, mapping, register, second++, new BigDecimal(counter));
            if (counter.compareTo(before) < 0) {
                assertThat(flags).containsExactly("rollover");
            } else {
                assertThat(flags).isEmpty();
            }
        }
    }

    @Provide
    Arbitrary<BigDecimal> fractions() {
        // [0, 1) with up to 6 decimals, and the edges near 0.9 and 0.1 of the modulus
        return Arbitraries.integers().between(0, 999_999).map(n -> BigDecimal.valueOf(n, 6))
                .edgeCases(edges -> edges.add(new BigDecimal("0.9")).add(new BigDecimal("0.1")).add(new BigDecimal("0.900001"))
                        .add(new BigDecimal("0.099999")));
    }

    @Provide
    Arbitrary<List<Integer>> steps() {
        // each step is 0 to 9.9% of the modulus, in thousandths
        return Arbitraries.integers().between(0, 99).list().ofMinSize(1).ofMaxSize(60);
    }

    private static List<String> flagsOfSecond(int digits, BigDecimal previous, BigDecimal next) {
        Register register = register(digits);
        Validator validator = new Validator(new MutableClock(T0.plusSeconds(3600)));
        Mapping mapping = new Mapping("plant", List.of(register));
        flagsOf(validator, mapping, register, 0, previous);
        return flagsOf(validator, mapping, register, 1, next);
    }

    private static List<String> flagsOf(Validator validator, Mapping mapping, Register register, int second, BigDecimal raw) {
        RawSample sample = new RawSample(register.nodeId(), raw, T0.plusSeconds(second), null, 0);
        return validator.validate((MappingOutcome.Mapped) mapping.map(ServerRole.PRIMARY, sample)).reading().flags();
    }

    private static Register register(int digits) {
        return new Register("ns=2;i=1", "M1", "1-0:1.8.0", "kWh", new BigDecimal("0.001"), BigDecimal.ZERO, MeterAttributes.NONE,
                Accumulation.REGISTER, "T0", digits, null, UnitConversion.NONE, NOTHING_ELSE);
    }

}
