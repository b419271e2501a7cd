package io.busbar.accounting;

import static io.busbar.accounting.Registers.reading;
import static io.busbar.accounting.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.model.Reading;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class IntervalConsumptionPropertyTest {

    private static final BigDecimal MODULUS = new BigDecimal("100000");
    /** Around the 2026 autumn DST change in Berlin, so some runs cross the 25-hour day. */
    private static final Instant START = Instant.parse("2026-10-24T20:00:00Z");

    private final Accounting accounting = new Accounting("plant",
            new AccountingSpec(ZoneId.of("Europe/Berlin"), List.of(IntervalLength.MIN15, IntervalLength.HOUR), EstimationMethod.LINEAR,
                    Map.of(), List.of()),
            List.of(register("m1", 5)));

    @Property(tries = 200)
    void quarterHoursAddUpToWhatWasConsumed_acrossRollovers_inAnyInputOrder(
            @ForAll @IntRange(min = 0, max = 99_999) int start,
            @ForAll @Size(min = 4, max = 150) List<@IntRange(min = 0, max = 5_000) Integer> centiKwhPerQuarter,
            @ForAll long seed) {
        List<Reading> readings = new ArrayList<>();
        BigDecimal register = BigDecimal.valueOf(start);
        BigDecimal consumed = BigDecimal.ZERO;
        readings.add(reading("m1", START, register));
        for (int i = 0; i < centiKwhPerQuarter.size(); i++) {
            BigDecimal step = BigDecimal.valueOf(centiKwhPerQuarter.get(i), 2);
            consumed = consumed.add(step);
            register = register.add(step).remainder(MODULUS);
            readings.add(reading("m1", START.plus(Duration.ofMinutes(15L * (i + 1))), register));
        }
        List<Reading> shuffled = new ArrayList<>(readings);
        Collections.shuffle(shuffled, new Random(seed));
        Instant end = START.plus(Duration.ofMinutes(15L * centiKwhPerQuarter.size()));

        Accounting.Result result = accounting.compute(readings, START, end);

        List<Reading> quarters = result.intervals().stream().filter(r -> r.quantity().endsWith("@15min")).toList();
        assertThat(quarters).hasSize(centiKwhPerQuarter.size());
        for (int i = 0; i < quarters.size(); i++) {
            assertThat(quarters.get(i).value()).isEqualByComparingTo(BigDecimal.valueOf(centiKwhPerQuarter.get(i), 2));
        }
        assertThat(quarters.stream().map(Reading::value).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(consumed);
        for (Reading hour : result.intervals().stream().filter(r -> r.quantity().endsWith("@hour")).toList()) {
            BigDecimal sum = quarters.stream()
                    .filter(q -> q.sourceTime().isAfter(hour.sourceTime().minus(Duration.ofHours(1))) && !q.sourceTime().isAfter(hour.sourceTime()))
                    .map(Reading::value).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(hour.value()).isEqualByComparingTo(sum);
        }
        assertThat(accounting.compute(shuffled, START, end)).as("the input order does not matter").isEqualTo(result);
    }
}
