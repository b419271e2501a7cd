package io.busbar.accounting;

import static io.busbar.accounting.Registers.reading;
import static io.busbar.accounting.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.GroupSpec;
import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntervalConsumptionTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");

    private static AccountingSpec spec(EstimationMethod method, IntervalLength... lengths) {
        return new AccountingSpec(ZoneId.of("UTC"), List.of(lengths), method, Map.of(), List.of());
    }

    private static List<Reading> quarterHours(String meter, Instant from, int count, String start, String step) {
        List<Reading> readings = new ArrayList<>();
        BigDecimal value = new BigDecimal(start);
        for (int i = 0; i <= count; i++) {
            readings.add(reading(meter, from.plus(Duration.ofMinutes(15L * i)), value));
            value = value.add(new BigDecimal(step));
        }
        return readings;
    }

    private static List<Reading> of(Accounting.Result result, String quantity) {
        return result.intervals().stream().filter(r -> r.quantity().equals(quantity)).toList();
    }

    @Test
    void registerAtEndMinusRegisterAtStart_perQuarterHourAndHour() {
        Accounting accounting = new Accounting("plant", spec(EstimationMethod.LINEAR, IntervalLength.MIN15, IntervalLength.HOUR),
                List.of(register("m1", null)));

        Accounting.Result result = accounting.compute(quarterHours("m1", T0, 8, "100.5", "0.25"), null, null);

        assertThat(of(result, "1-0:1.8.0@15min")).hasSize(8).allSatisfy(r -> {
            assertThat(r.value()).isEqualByComparingTo("0.25");
            assertThat(r.validation()).isEqualTo(ValidationStatus.VALID);
            assertThat(r.account()).isEqualTo("acc-m1");
        });
        assertThat(of(result, "1-0:1.8.0@hour")).extracting(Reading::value).extracting(BigDecimal::toPlainString)
                .containsExactly("1", "1");
        assertThat(of(result, "1-0:1.8.0@hour").get(0).sourceTime()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void rolloverAtTenToTheDigits_isCountedAcrossTheWrap() {
        Accounting accounting = new Accounting("plant", spec(EstimationMethod.LINEAR, IntervalLength.MIN15), List.of(register("m1", 6)));
        List<Reading> readings = List.of(reading("m1", T0, "999990"), reading("m1", T0.plus(Duration.ofMinutes(15)), "5"),
                reading("m1", T0.plus(Duration.ofMinutes(30)), "12"));

        List<Reading> intervals = accounting.compute(readings, null, null).intervals();

        assertThat(intervals).extracting(Reading::value).extracting(BigDecimal::toPlainString).containsExactly("15", "7");
        assertThat(intervals.get(0).flags()).containsExactly("rollover");
        assertThat(intervals.get(1).flags()).isEmpty();
    }

    @Test
    void resetOrUnannouncedMeterSwap_countsNothingAcrossIt_andSaysReset() {
        Accounting accounting = new Accounting("plant", spec(EstimationMethod.LINEAR, IntervalLength.MIN15), List.of(register("m1", 6)));
        // a new meter reading 3 replaced one at 54321: not near the modulus, so no rollover
        List<Reading> readings = List.of(reading("m1", T0, "54320"), reading("m1", T0.plus(Duration.ofMinutes(15)), "54321"),
                reading("m1", T0.plus(Duration.ofMinutes(30)), "3"), reading("m1", T0.plus(Duration.ofMinutes(45)), "5.5"));

        List<Reading> intervals = accounting.compute(readings, null, null).intervals();

        assertThat(intervals).extracting(Reading::value).extracting(BigDecimal::toPlainString).containsExactly("1", "0", "2.5");
        assertThat(intervals.get(1).flags()).containsExactly("reset");
    }

    @Test
    void meterSwapAnnouncedByAnOffset_isContinuous() {
        // the mapping's offset for the new meter makes the value continue: raw drops, value does not
        Reading before = reading("m1", T0, "100");
        Reading after = new Reading(before.key(), "plant", null, "m1", "1-0:1.8.0", new BigDecimal("101"), "kWh", new BigDecimal("1"),
                T0.plus(Duration.ofMinutes(15)), null, io.busbar.mappings.model.Quality.GOOD, 0, ValidationStatus.VALID, List.of(), null,
                null, null, List.of(), null, io.busbar.mappings.model.Accumulation.REGISTER, "T0");
        Accounting accounting = new Accounting("plant", spec(EstimationMethod.LINEAR, IntervalLength.MIN15), List.of(register("m1", 6)));

        List<Reading> intervals = accounting.compute(List.of(before, after), null, null).intervals();

        assertThat(intervals).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualByComparingTo("1");
            assertThat(r.flags()).isEmpty();
        });
    }

    @Test
    void dstSpringForwardDay_has92QuarterHours_andFallBackDay_has100() {
        AccountingSpec spec = new AccountingSpec(BERLIN, List.of(IntervalLength.MIN15, IntervalLength.DAY), EstimationMethod.LINEAR,
                Map.of(), List.of());
        Accounting accounting = new Accounting("plant", spec, List.of(register("m1", null)));
        Instant springDay = java.time.LocalDate.parse("2026-03-29").atStartOfDay(BERLIN).toInstant();
        Instant autumnDay = java.time.LocalDate.parse("2026-10-25").atStartOfDay(BERLIN).toInstant();

        Accounting.Result spring = accounting.compute(quarterHours("m1", springDay, 92, "0", "1"),
                springDay, springDay.plus(Duration.ofHours(23)));
        Accounting.Result autumn = accounting.compute(quarterHours("m1", autumnDay, 100, "0", "1"),
                autumnDay, autumnDay.plus(Duration.ofHours(25)));

        assertThat(of(spring, "1-0:1.8.0@15min")).hasSize(92);
        assertThat(of(spring, "1-0:1.8.0@day")).singleElement().satisfies(r -> assertThat(r.value()).isEqualByComparingTo("92"));
        assertThat(of(autumn, "1-0:1.8.0@15min")).hasSize(100);
        assertThat(of(autumn, "1-0:1.8.0@day")).singleElement().satisfies(r -> assertThat(r.value()).isEqualByComparingTo("100"));
    }

    @Test
    void gap_isEstimatedLinearly_thenLateRealValueReplacesIt_sameIntervalNewRevision() {
        Accounting accounting = new Accounting("plant", spec(EstimationMethod.LINEAR, IntervalLength.MIN15), List.of(register("m1", null)));
        List<Reading> readings = new ArrayList<>(quarterHours("m1", T0, 4, "0", "1"));
        // 00:30 and 00:45 arrive late: 00:15 → 01:00 is 45 minutes, more than 1.5 quarter hours, so a gap
        Reading late = readings.remove(2);
        readings.remove(2);
        readings.set(2, reading("m1", T0.plus(Duration.ofHours(1)), "6")); // 01:00 reads 6: 5 kWh in the gap, 3 of it in its last quarter

        List<Reading> estimated = accounting.compute(readings, null, null).intervals();
        List<Reading> lateAdded = new ArrayList<>(readings);
        lateAdded.add(late);
        lateAdded.add(reading("m1", T0.plus(Duration.ofMinutes(45)), "3"));
        List<Reading> corrected = accounting.compute(lateAdded, null, null).intervals();

        assertThat(estimated).extracting(Reading::value).extracting(BigDecimal::toPlainString).containsExactly("1", "1.666667", "1.666666",
                "1.666667");
        assertThat(estimated.get(1).validation()).isEqualTo(ValidationStatus.ESTIMATED);
        assertThat(estimated.get(1).flags()).containsExactly("estimated", "estimated-linear");
        assertThat(corrected).extracting(Reading::value).extracting(BigDecimal::toPlainString).containsExactly("1", "1", "1", "3");
        assertThat(corrected).allSatisfy(r -> assertThat(r.validation()).isEqualTo(ValidationStatus.VALID));
        for (int i = 0; i < 4; i++) {
            assertThat(Keys.withoutRevision(corrected.get(i).key())).isEqualTo(Keys.withoutRevision(estimated.get(i).key()));
        }
        assertThat(corrected.get(0).key()).as("an interval that did not change keeps its key").isEqualTo(estimated.get(0).key());
        assertThat(corrected.get(1).key()).as("a changed interval gets a new revision").isNotEqualTo(estimated.get(1).key());
        assertThat(accounting.compute(lateAdded, null, null).intervals()).as("recomputing gives the same keys").isEqualTo(corrected);
    }

    @Test
    void lastValue_holdsTheRegister_thenTheWholeGapLandsAfterIt() {
        Accounting accounting = new Accounting("plant", spec(EstimationMethod.LAST_VALUE, IntervalLength.MIN15), List.of(register("m1", null)));
        List<Reading> readings = List.of(reading("m1", T0, "10"), reading("m1", T0.plus(Duration.ofMinutes(60)), "14"));

        List<Reading> intervals = accounting.compute(readings, null, null).intervals();

        assertThat(intervals).extracting(Reading::value).extracting(BigDecimal::toPlainString).containsExactly("0", "0", "0", "4");
        assertThat(intervals).allSatisfy(r -> assertThat(r.flags()).contains("estimated-last-value"));
    }

    @Test
    void none_leavesTheGapsIntervalsOut() {
        Accounting accounting = new Accounting("plant", spec(EstimationMethod.NONE, IntervalLength.MIN15), List.of(register("m1", null)));
        List<Reading> readings = List.of(reading("m1", T0, "10"), reading("m1", T0.plus(Duration.ofMinutes(15)), "11"),
                reading("m1", T0.plus(Duration.ofMinutes(60)), "14"));

        assertThat(accounting.compute(readings, null, null).intervals()).singleElement()
                .satisfies(r -> assertThat(r.sourceTime()).isEqualTo(T0.plus(Duration.ofMinutes(15))));
    }

    @Test
    void groupProfile_spreadsTheGapLikeTheOtherMembersConsumed() {
        GroupSpec house = new GroupSpec("house", List.of("m1", "m2"), Map.of(), null, null);
        AccountingSpec spec = new AccountingSpec(ZoneId.of("UTC"), List.of(IntervalLength.MIN15), EstimationMethod.LINEAR,
                Map.of("m1", EstimationMethod.GROUP_PROFILE), List.of(house));
        Accounting accounting = new Accounting("plant", spec, List.of(register("m1", null), register("m2", null)));
        List<Reading> readings = new ArrayList<>();
        String[] m2 = {"0", "1", "4", "5", "5"}; // m2 consumed 1, 3, 1, 0
        for (int i = 0; i < m2.length; i++) {
            readings.add(reading("m2", T0.plus(Duration.ofMinutes(15L * i)), m2[i]));
        }
        readings.add(reading("m1", T0, "100"));
        readings.add(reading("m1", T0.plus(Duration.ofMinutes(60)), "110"));

        List<Reading> m1 = accounting.compute(readings, null, null).intervals().stream().filter(r -> r.meter().equals("m1")).toList();

        assertThat(m1).extracting(Reading::value).extracting(BigDecimal::toPlainString).containsExactly("2", "6", "2", "0");
        assertThat(m1).allSatisfy(r -> assertThat(r.flags()).contains("estimated", "estimated-group-profile"));
    }
}
