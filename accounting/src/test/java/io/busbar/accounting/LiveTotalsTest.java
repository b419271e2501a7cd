package io.busbar.accounting;

import static io.busbar.accounting.Registers.reading;
import static io.busbar.accounting.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.GroupSpec;
import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.accounting.Tolerance;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Billing totals at the moments of a schedule, written by the running accounting into real files. */
class LiveTotalsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:07Z");
    private static final AccountingSpec SPEC = new AccountingSpec(ZoneId.of("UTC"), List.of(IntervalLength.SEC15, IntervalLength.MIN1),
            EstimationMethod.LINEAR, Map.of(), List.of(new GroupSpec("building", List.of("m2", "m3"), Map.of(Registers.ENERGY, "m1"),
                    new Tolerance(BigDecimal.ONE, BigDecimal.ZERO), List.of())));
    private static final List<Register> REGISTERS = List.of(register("m1", null), register("m2", null), register("m3", null));
    private static final DateTimeFormatter NAMES = DateTimeFormatter.ofPattern("HHmm");

    @TempDir
    Path dir;

    /** m2 counts 2 kWh a second from 1000, m3 3 kWh from 2000, m1 both: the group's register sum at second s is 3000 + 5 s. */
    private static List<Reading> second(int s) {
        Instant at = T0.plusSeconds(s);
        return List.of(reading("m1", at, BigDecimal.valueOf(3000 + 5L * s)), reading("m2", at, BigDecimal.valueOf(1000 + 2L * s)),
                reading("m3", at, BigDecimal.valueOf(2000 + 3L * s)));
    }

    private static LiveTotals.Settings every(Duration interval, Path billing) {
        LiveTotals.Schedule schedule = (after, zone) -> Instant.ofEpochMilli(
                Math.floorDiv(after.toEpochMilli(), interval.toMillis()) * interval.toMillis() + interval.toMillis());
        return new LiveTotals.Settings(billing, (pair, moment, zone) -> "totals-" + pair + "-" + NAMES.format(moment.atZone(zone)) + ".csv",
                schedule, Duration.ofSeconds(5), '.', TotalsCsv.DEFAULT_DATE_FORMAT, StandardCharsets.UTF_8, List.of());
    }

    private LiveAccounting open(LiveTotals.Settings totals, Duration lateness) {
        return new LiveAccounting(Registers.PAIR, SPEC, REGISTERS, dir.resolve("state"), lateness, totals);
    }

    private static void run(LiveAccounting live, int from, int to) {
        for (int s = from; s < to; s++) {
            live.settle(false);
            live.accept(second(s));
            live.due();
        }
    }

    private static List<Reading> all(int to) {
        List<Reading> all = new ArrayList<>();
        for (int s = 0; s < to; s++) {
            all.addAll(second(s));
        }
        return all;
    }

    /** What the batch command writes for [from, to] ({@code totals.csv}); a moment alone for the first. */
    private static String truth(List<Reading> readings, Instant from, Instant to) {
        Accounting batch = new Accounting(Registers.PAIR, SPEC, REGISTERS);
        return new TotalsCsv(ZoneId.of("UTC"), '.', TotalsCsv.DEFAULT_DATE_FORMAT)
                .render(from.equals(to) ? batch.totals(readings, from, to) : batch.compute(readings, from, to).totals());
    }

    private static List<String> files(Path billing) throws Exception {
        try (Stream<Path> list = Files.list(billing)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyMomentWrittenOnce_acrossAKill_eachTheBatchTotalsSinceThePreviousMoment() throws Exception {
        Path billing = dir.resolve("billing");
        LiveAccounting first = open(every(Duration.ofMinutes(1), billing), Duration.ofMinutes(3));
        run(first, 0, 130);
        assertThat(first.status().lastTotals()).isEqualTo(Instant.parse("2026-03-01T00:02:00Z"));
        first.close(); // killed
        LiveAccounting second = open(every(Duration.ofMinutes(1), billing), Duration.ofMinutes(3));
        run(second, 130, 300);

        // the first reading is at 00:00:07: the moments are 00:01 … 00:05 (00:05 + 5 s grace = second 298)
        assertThat(files(billing)).containsExactly("totals-plant-0001.csv", "totals-plant-0002.csv", "totals-plant-0003.csv",
                "totals-plant-0004.csv", "totals-plant-0005.csv");
        List<Reading> readings = all(300);
        Instant previous = Instant.parse("2026-03-01T00:01:00Z");
        assertThat(Files.readString(billing.resolve("totals-plant-0001.csv"))).as("the first moment: no previous one")
                .isEqualTo(truth(readings, previous, previous));
        for (int minute = 2; minute <= 5; minute++) {
            Instant moment = previous.plusSeconds(60);
            assertThat(Files.readString(billing.resolve("totals-plant-000" + minute + ".csv"))).isEqualTo(truth(readings, previous, moment));
            previous = moment;
        }
        // 00:03:00 is second 173: registers 1346 + 2519, a minute of 5 kWh a second
        assertThat(Files.readAllLines(billing.resolve("totals-plant-0003.csv")))
                .contains("building;1-0:1.8.0;T0;2026-03-01 00:02;2026-03-01 00:03;2;3865;300;kWh;0;0;complete");
        assertThat(second.status().lastTotals()).isEqualTo(Instant.parse("2026-03-01T00:05:00Z"));
        assertThat(second.status().totalsProblem()).isNull();
        second.close();
    }

    @Test
    void crashAfterTheFileBeforeTheState_fileNotWrittenAgain_nextMomentFollows() throws Exception {
        Path billing = dir.resolve("billing");
        LiveAccounting live = open(every(Duration.ofMinutes(1), billing), Duration.ofMinutes(3));
        run(live, 0, 130); // 00:01 and 00:02 written
        live.close();
        // as if killed after 00:03's file was renamed into place and before the state said so
        Files.writeString(billing.resolve("totals-plant-0003.csv"), "written before the crash");
        LiveAccounting again = open(every(Duration.ofMinutes(1), billing), Duration.ofMinutes(3));
        run(again, 130, 240);

        assertThat(Files.readString(billing.resolve("totals-plant-0003.csv"))).isEqualTo("written before the crash");
        assertThat(files(billing)).containsExactly("totals-plant-0001.csv", "totals-plant-0002.csv", "totals-plant-0003.csv",
                "totals-plant-0004.csv");
        assertThat(Files.readString(billing.resolve("totals-plant-0004.csv")))
                .isEqualTo(truth(all(240), Instant.parse("2026-03-01T00:03:00Z"), Instant.parse("2026-03-01T00:04:00Z")));
        again.close();
    }

    @Test
    void previousMomentOlderThanTheWindow_keptThroughCompaction() throws Exception {
        Path billing = dir.resolve("billing");
        LiveAccounting live = open(every(Duration.ofMinutes(10), billing), Duration.ofMinutes(3));
        run(live, 0, 1260); // moments 00:10 (second 593) and 00:20 (second 1193); the window is 3 to 4 minutes

        assertThat(live.status().keptReadings()).as("thinned").isLessThan(1260 * 3 * 2 / 3);
        assertThat(files(billing)).containsExactly("totals-plant-0010.csv", "totals-plant-0020.csv");
        assertThat(Files.readAllLines(billing.resolve("totals-plant-0020.csv")))
                .containsExactly(TotalsCsv.HEADER, "building;1-0:1.8.0;T0;2026-03-01 00:10;2026-03-01 00:20;2;8965;3000;kWh;0;0;complete");
        live.close();
    }

    @Test
    void unwritableFolder_momentStaysDue_writtenOnceItWorks() throws Exception {
        Path billing = dir.resolve("billing");
        Files.writeString(billing, "a file where the folder should be");
        LiveAccounting live = open(every(Duration.ofMinutes(1), billing), Duration.ofMinutes(3));
        run(live, 0, 70);
        assertThat(live.status().totalsProblem()).startsWith("cannot write " + billing.resolve("totals-plant-0001.csv"));
        assertThat(live.status().lastTotals()).isNull();

        Files.delete(billing);
        run(live, 70, 130);
        assertThat(files(billing)).containsExactly("totals-plant-0001.csv", "totals-plant-0002.csv");
        assertThat(live.status().totalsProblem()).isNull();
        live.close();
    }
}
