package io.busbar.mappings.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingOutcome;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import io.busbar.support.testing.MutableClock;
import io.busbar.mappings.units.UnitConversion;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    private static final Instant T0 = Instant.parse("2024-03-31T00:00:00Z");
    private static final long GOOD = 0;
    private static final long UNCERTAIN = 0x408F0000L;
    private static final long BAD = 0x80310000L;

    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(1)));
    private final Validator validator = new Validator(clock);

    private static final ValidationRules ALL_OFF = new ValidationRules(BadQualityPolicy.PASS_FLAGGED, null, null, null, null, 0);

    @Test
    void plausibleReading_isValidWithoutFlags() {
        Register energy = register(Accumulation.REGISTER, 6, ValidationRules.defaultsFor(Accumulation.REGISTER));

        ValidationOutcome first = validate(energy, 0, "1000", GOOD);
        ValidationOutcome second = validate(energy, 15, "1010", GOOD);

        assertThat(second).isInstanceOf(ValidationOutcome.Forward.class);
        assertThat(first.reading().validation()).isEqualTo(ValidationStatus.VALID);
        assertThat(second.reading().validation()).isEqualTo(ValidationStatus.VALID);
        assertThat(second.reading().flags()).isEmpty();
    }

    @Test
    void badQuality_passFlagged_isForwardedQuestionable() {
        Register energy = register(Accumulation.REGISTER, null, ValidationRules.defaultsFor(Accumulation.REGISTER));

        ValidationOutcome outcome = validate(energy, 0, "1000", BAD);

        assertThat(outcome).isInstanceOf(ValidationOutcome.Forward.class);
        assertThat(outcome.reading().flags()).containsExactly("bad-quality");
        assertThat(outcome.reading().validation()).isEqualTo(ValidationStatus.QUESTIONABLE);
    }

    @Test
    void badQuality_deadLetter_isAnOutcomeWithTheReason() {
        Register energy = register(Accumulation.REGISTER, null, rules(BadQualityPolicy.DEAD_LETTER, null, null, null, null, 0));

        ValidationOutcome outcome = validate(energy, 0, "1000", BAD);

        assertThat(outcome).isInstanceOfSatisfying(ValidationOutcome.DeadLetter.class, dead -> {
            assertThat(dead.reason()).isEqualTo("bad quality (status 0x80310000)");
            assertThat(dead.reading().flags()).containsExactly("bad-quality");
        });
        assertThat(validate(energy, 15, "1001", GOOD)).as("only Bad ones").isInstanceOf(ValidationOutcome.Forward.class);
    }

    @Test
    void uncertainQuality_isFlaggedAndForwarded() {
        ValidationOutcome outcome = validate(register(Accumulation.INSTANTANEOUS, null, ALL_OFF), 0, "5", UNCERTAIN);

        assertThat(outcome).isInstanceOf(ValidationOutcome.Forward.class);
        assertThat(outcome.reading().flags()).containsExactly("uncertain-quality");
    }

    @Test
    void sourceTimeAheadOfTheClockBeyondTheTolerance_isFutureTime() {
        Register power = register(Accumulation.INSTANTANEOUS, null, ValidationRules.defaultsFor(Accumulation.INSTANTANEOUS));
        clock.set(T0);

        assertThat(validate(power, 5, "1", GOOD).reading().flags()).as("exactly the tolerance").isEmpty();
        assertThat(validate(power, 6, "1", GOOD).reading().flags()).containsExactly("future-time");
        assertThat(ValidationRules.DEFAULT_FUTURE_TOLERANCE).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void futureTolerance_off_neverFlags() {
        clock.set(T0);

        assertThat(validate(register(Accumulation.INSTANTANEOUS, null, ALL_OFF), 60 * 24, "1", GOOD).reading().flags()).isEmpty();
    }

    @Test
    void sourceTimeOlderThanTheLimit_isStaleTime() {
        Register power = register(Accumulation.INSTANTANEOUS, null, rules(BadQualityPolicy.PASS_FLAGGED, null, Duration.ofMinutes(30), null, null, 0));
        clock.set(T0.plus(Duration.ofMinutes(40)));

        assertThat(validate(power, 5, "1", GOOD).reading().flags()).containsExactly("stale-time");
        assertThat(validate(power, 10, "1", GOOD).reading().flags()).as("exactly the limit").isEmpty();
        assertThat(ValidationRules.DEFAULT_STALE_AFTER).as("off by default: backfill delivers old readings").isNull();
    }

    @Test
    void registerFallingFromNearItsModulusToNearZero_isARollover_andKeepsItsValue() {
        Register energy = register(Accumulation.REGISTER, 6, ALL_OFF);

        validate(energy, 0, "999950", GOOD);
        Reading wrapped = validate(energy, 15, "120", GOOD).reading();

        assertThat(wrapped.flags()).containsExactly("rollover");
        assertThat(wrapped.validation()).isEqualTo(ValidationStatus.QUESTIONABLE);
        assertThat(wrapped.raw()).isEqualTo(new BigDecimal("120"));
        assertThat(wrapped.value()).as("never edited").isEqualTo(new BigDecimal("120"));
        assertThat(validate(energy, 30, "130", GOOD).reading().flags()).as("counting on from the wrap").isEmpty();
    }

    @Test
    void registerFallingElsewhere_isAReset() {
        Register energy = register(Accumulation.REGISTER, 6, ALL_OFF);

        validate(energy, 0, "500000", GOOD);

        assertThat(validate(energy, 15, "10", GOOD).reading().flags()).containsExactly("reset");
    }

    @Test
    void registerFallingNearTheTopButNotToNearZero_isAReset() {
        Register energy = register(Accumulation.REGISTER, 6, ALL_OFF);

        validate(energy, 0, "999950", GOOD);

        assertThat(validate(energy, 15, "999000", GOOD).reading().flags()).containsExactly("reset");
    }

    @Test
    void registerWithoutDigits_fallingAtAll_isAReset() {
        Register energy = register(Accumulation.REGISTER, null, ALL_OFF);

        validate(energy, 0, "999950", GOOD);

        assertThat(validate(energy, 15, "1", GOOD).reading().flags()).containsExactly("reset");
    }

    @Test
    void instantaneousOrIntervalValuesFalling_isNormal() {
        Register power = register(Accumulation.INSTANTANEOUS, null, ALL_OFF);
        validate(power, 0, "900", GOOD);
        assertThat(validate(power, 15, "10", GOOD).reading().flags()).isEmpty();

        Register interval = register("ns=2;i=3", "1-0:1.29.0", Accumulation.INTERVAL, null, ALL_OFF);
        validate(interval, 0, "900", GOOD);
        assertThat(validate(interval, 15, "10", GOOD).reading().flags()).isEmpty();
    }

    @Test
    void changeFasterThanTheSpikeRate_isASpike() {
        // 100 kWh per hour at most; the raw value is in kWh here
        Register energy = register(Accumulation.REGISTER, null, rules(BadQualityPolicy.PASS_FLAGGED, null, null, null, RateLimit.parse("100/h"), 0));

        validate(energy, 0, "1000", GOOD);
        assertThat(validate(energy, 15, "1025", GOOD).reading().flags()).as("exactly 100/h").isEmpty();
        assertThat(validate(energy, 30, "1051", GOOD).reading().flags()).containsExactly("spike");
    }

    @Test
    void spikeRate_appliesToDropsOfInstantaneousValuesToo() {
        Register power = register(Accumulation.INSTANTANEOUS, null, rules(BadQualityPolicy.PASS_FLAGGED, null, null, null, RateLimit.parse("10/15m"), 0));

        validate(power, 0, "50", GOOD);

        assertThat(validate(power, 15, "39", GOOD).reading().flags()).containsExactly("spike");
    }

    @Test
    void sameNonZeroValueNTimes_isFrozen_fromTheNthOn() {
        Register energy = register(Accumulation.REGISTER, null, rules(BadQualityPolicy.PASS_FLAGGED, null, null, null, null, 3));

        List<List<String>> flags = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            flags.add(validate(energy, i * 15, "1234.5", GOOD).reading().flags());
        }
        flags.add(validate(energy, 60, "1234.6", GOOD).reading().flags());

        assertThat(flags).containsExactly(List.of(), List.of(), List.of("frozen"), List.of("frozen"), List.of());
    }

    @Test
    void zeroRepeated_isNotFrozen() {
        Register energy = register(Accumulation.REGISTER, null, rules(BadQualityPolicy.PASS_FLAGGED, null, null, null, null, 2));

        validate(energy, 0, "0", GOOD);

        assertThat(validate(energy, 15, "0.0", GOOD).reading().flags()).isEmpty();
    }

    @Test
    void frozen_isOffForInstantaneousValuesByDefault() {
        Register power = register(Accumulation.INSTANTANEOUS, null, ValidationRules.defaultsFor(Accumulation.INSTANTANEOUS));

        List<String> last = List.of();
        for (int i = 0; i < 12; i++) {
            last = validate(power, i, "7", GOOD).reading().flags();
        }

        assertThat(last).isEmpty();
        assertThat(ValidationRules.defaultsFor(Accumulation.REGISTER).frozenCount()).isEqualTo(10);
    }

    @Test
    void sourceTimeJumpLongerThanTheMaximum_flagsTheReadingAfterTheGap() {
        Register energy = register(Accumulation.REGISTER, null, rules(BadQualityPolicy.PASS_FLAGGED, null, null, Duration.ofMinutes(15), null, 0));

        validate(energy, 0, "1", GOOD);
        assertThat(validate(energy, 15, "2", GOOD).reading().flags()).as("exactly the maximum").isEmpty();
        assertThat(validate(energy, 45, "3", GOOD).reading().flags()).containsExactly("gap");
        assertThat(validate(energy, 60, "4", GOOD).reading().flags()).isEmpty();
    }

    @Test
    void gap_isPerSeries_soASilentMeterFlagsEachOfItsRegisters() {
        ValidationRules gapRule = rules(BadQualityPolicy.PASS_FLAGGED, null, null, Duration.ofMinutes(15), null, 0);
        Register energy = register("ns=2;i=1", "1-0:1.8.0", Accumulation.REGISTER, null, gapRule);
        Register power = register("ns=2;i=2", "1-0:1.7.0", Accumulation.INSTANTANEOUS, null, gapRule);

        validate(energy, 0, "1", GOOD);
        validate(power, 0, "1", GOOD);

        assertThat(validate(energy, 60, "2", GOOD).reading().flags()).containsExactly("gap");
        assertThat(validate(power, 60, "2", GOOD).reading().flags()).containsExactly("gap");
    }

    @Test
    void badReading_doesNotBecomeThePreviousValue() {
        Register energy = register(Accumulation.REGISTER, 6, ALL_OFF);

        validate(energy, 0, "1000", GOOD);
        validate(energy, 15, "3", BAD);

        assertThat(validate(energy, 30, "1010", GOOD).reading().flags()).as("compared with 1000, not with the glitch").isEmpty();
    }

    @Test
    void futureReading_doesNotBecomeThePreviousValue() {
        Register energy = register(Accumulation.REGISTER, null, ValidationRules.defaultsFor(Accumulation.REGISTER));
        clock.set(T0.plus(Duration.ofMinutes(30)));

        validate(energy, 0, "1000", GOOD);
        assertThat(validate(energy, 24 * 60, "5", GOOD).reading().flags()).containsExactly("future-time");

        assertThat(validate(energy, 15, "1010", GOOD).reading().flags()).isEmpty();
    }

    @Test
    void sameReadingAgain_getsTheSameFlags() {
        Register energy = register(Accumulation.REGISTER, 6, ALL_OFF);
        validate(energy, 0, "999950", GOOD);

        ValidationOutcome first = validate(energy, 15, "120", GOOD);
        ValidationOutcome replayed = validate(energy, 15, "120", GOOD);

        assertThat(replayed.reading()).isEqualTo(first.reading());
        assertThat(replayed.reading().flags()).containsExactly("rollover");
    }

    @Test
    void readingOlderThanThePreviousOne_getsOnlyTheSingleReadingRules() {
        Register energy = register(Accumulation.REGISTER, 6, ALL_OFF);
        validate(energy, 30, "5000", GOOD);

        assertThat(validate(energy, 15, "10", UNCERTAIN).reading().flags()).containsExactly("uncertain-quality");
        assertThat(validate(energy, 45, "5001", GOOD).reading().flags()).as("compared with 5000").isEmpty();
    }

    @Test
    void seriesAreIndependent_byPairMeterAndQuantity() {
        Register a = register("ns=2;i=1", "1-0:1.8.0", Accumulation.REGISTER, null, ALL_OFF);
        Register b = new Register("ns=2;i=2", "M2", "1-0:1.8.0", "kWh", BigDecimal.ONE, BigDecimal.ZERO, MeterAttributes.NONE,
                Accumulation.REGISTER, "T0", null, null, UnitConversion.NONE, ALL_OFF);

        validate(a, 0, "1000", GOOD);
        validate(b, 0, "5", GOOD);

        assertThat(validate(b, 15, "6", GOOD).reading().flags()).isEmpty();
        assertThat(validate(a, 15, "7", GOOD).reading().flags()).containsExactly("reset");
        assertThat(validator.seriesCount()).isEqualTo(2);
        validator.forget("plant", "M2", "1-0:1.8.0");
        assertThat(validator.seriesCount()).isEqualTo(1);
    }

    @Test
    void severalRulesAtOnce_areAllFlagged_inRuleOrder() {
        Register energy = register(Accumulation.REGISTER, 6, rules(BadQualityPolicy.PASS_FLAGGED, Duration.ZERO, null, Duration.ofMinutes(10), null, 0));
        clock.set(T0);
        validate(energy, -60, "999950", GOOD);

        Reading reading = validate(energy, 0, "3", UNCERTAIN).reading();

        assertThat(reading.flags()).containsExactly("uncertain-quality", "gap", "rollover");
    }

    @Test
    void estimatedReading_keepsItsStatus_andGainsFlags() {
        Register power = register(Accumulation.INSTANTANEOUS, null, ALL_OFF);
        Reading estimated = sample(power, 0, "5", UNCERTAIN).withValidation(ValidationStatus.ESTIMATED, List.of("linear"));

        Reading validated = validator.validate(power, estimated).reading();

        assertThat(validated.validation()).isEqualTo(ValidationStatus.ESTIMATED);
        assertThat(validated.flags()).containsExactly("linear", "uncertain-quality");
    }

    /** Series are locked one by one: many threads on many series give the same answers as one thread. */
    @Test
    void concurrentValidationOfDifferentSeries_isTheSameAsSequential() throws Exception {
        int meters = 16;
        int readings = 400;
        ValidationRules rules = rules(BadQualityPolicy.PASS_FLAGGED, null, null, null, null, 3);
        List<Register> registers = new ArrayList<>();
        for (int m = 0; m < meters; m++) {
            registers.add(new Register("ns=2;i=" + m, "M" + m, "1-0:1.8.0", "kWh", BigDecimal.ONE, BigDecimal.ZERO,
                    MeterAttributes.NONE, Accumulation.REGISTER, "T0", 6, null, UnitConversion.NONE, rules));
        }
        Validator sequential = new Validator(clock);
        Validator concurrent = new Validator(clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<String>>>> results = new ArrayList<>();
            List<List<List<String>>> expected = new ArrayList<>();
            for (Register register : registers) {
                expected.add(run(sequential, register, readings));
                results.add(pool.submit(() -> run(concurrent, register, readings)));
            }
            for (int m = 0; m < meters; m++) {
                assertThat(results.get(m).get(10, TimeUnit.SECONDS)).isEqualTo(expected.get(m));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(concurrent.seriesCount()).isEqualTo(meters);
    }

    /** A register that counts up, repeats, wraps and resets, so several rules fire. */
    private static List<List<String>> run(Validator validator, Register register, int readings) {
        List<List<String>> flags = new ArrayList<>(readings);
        Mapping mapping = new Mapping("plant", List.of(register));
        for (int i = 0; i < readings; i++) {
            long raw = (999_000L + i / 2 * 300L) % 1_000_000L;
            if (i == readings / 2) {
                raw = 7;
            }
            RawSample sample = new RawSample(register.nodeId(), raw, T0.plusSeconds(i), null, GOOD);
            flags.add(validator.validate((MappingOutcome.Mapped) mapping.map(ServerRole.PRIMARY, sample)).reading().flags());
        }
        return flags;
    }

    private ValidationOutcome validate(Register register, int minutes, String raw, long status) {
        return validator.validate(register, sample(register, minutes, raw, status));
    }

    private static Reading sample(Register register, int minutes, String raw, long status) {
        RawSample sample = new RawSample(register.nodeId(), new BigDecimal(raw), T0.plus(Duration.ofMinutes(minutes)), null, status);
        return ((MappingOutcome.Mapped) new Mapping("plant", List.of(register)).map(ServerRole.PRIMARY, sample)).reading();
    }

    private static Register register(Accumulation accumulation, Integer digits, ValidationRules rules) {
        String quantity = accumulation == Accumulation.INSTANTANEOUS ? "1-0:1.7.0" : "1-0:1.8.0";
        return register("ns=2;i=1", quantity, accumulation, digits, rules);
    }

    private static Register register(String node, String quantity, Accumulation accumulation, Integer digits, ValidationRules rules) {
        return new Register(node, "M1", quantity, "kWh", BigDecimal.ONE, BigDecimal.ZERO, MeterAttributes.NONE, accumulation,
                Register.defaultTariff(quantity, accumulation), digits, null, UnitConversion.NONE, rules);
    }

    private static ValidationRules rules(BadQualityPolicy bad, Duration future, Duration stale, Duration gap, RateLimit spike, int frozen) {
        return new ValidationRules(bad, future, stale, gap, spike, frozen);
    }
}
