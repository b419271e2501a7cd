package io.busbar.connectors.target.csv;

import static io.busbar.connectors.support.TestReadings.reading;
import static io.busbar.connectors.target.csv.CsvTargetAppendTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.target.csv.CsvTargetSettings.Column;
import io.busbar.mappings.model.Reading;
import io.busbar.support.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The billing CSV target in export mode: the latest register value per meter and quantity at each moment T. */
class CsvTargetExportTest {

    /** The schedule's moments are the full hours; the clock starts at 10:20 UTC. */
    static final Instant START = Instant.parse("2026-11-22T10:20:00Z");
    static final Instant T11 = Instant.parse("2026-11-22T11:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(START);
    private final List<CsvTarget> targets = new ArrayList<>();

    @AfterEach
    void closeTargets() throws IOException {
        for (CsvTarget target : targets) {
            target.close();
        }
    }

    private CsvTargetSettings hourly() {
        return CsvTargetSettings.export("billing", dir, ExportSchedule.every(Duration.ofHours(1)))
                .withGrace(Duration.ofSeconds(5))
                .withColumns(List.of(Column.field("meter"), Column.field("quantity"), Column.field("source-time"),
                        Column.field("value"), Column.field("ДатаПоказания", "export-time")));
    }

    private CsvTarget started(CsvTargetSettings settings, Clock on) throws IOException {
        CsvTarget target = new CsvTarget(settings, on);
        target.start();
        targets.add(target);
        return target;
    }

    private List<List<String>> rowsOf(String file) throws IOException {
        return read(dir.resolve(file), StandardCharsets.UTF_8, ';').stream().skip(1).map(CSVRecord::values).map(List::of).toList();
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-22T" + hhmm + ":00Z");
    }

    private void passMoment(CsvTarget target, Instant moment) {
        clock.set(moment.plusSeconds(5));
        target.tick();
    }

    @Test
    void export_holdsTheLatestValueAtOrBeforeT_perMeterAndQuantity_andTheNextExportMovesOn() throws Exception {
        CsvTarget target = started(hourly(), clock);
        target.deliver(List.of(
                reading("Meter001", "1-0:1.8.0", "100.1", at("10:30")),
                reading("Meter001", "1-0:1.8.0", "100.5", at("10:50")),
                reading("Meter002", "1-0:1.8.0", "7.0", at("10:40")),
                reading("Meter001", "1-0:2.8.0", "3.25", at("10:45")),
                reading("Meter001", "1-0:1.8.0", "101.0", at("11:10"))));

        passMoment(target, T11);

        assertThat(rowsOf("registers-20261122-1100.csv")).containsExactly(
                List.of("Meter001", "1-0:1.8.0", "2026-11-22T10:50:00Z", "100.5", "2026-11-22T11:00:00Z"),
                List.of("Meter001", "1-0:2.8.0", "2026-11-22T10:45:00Z", "3.25", "2026-11-22T11:00:00Z"),
                List.of("Meter002", "1-0:1.8.0", "2026-11-22T10:40:00Z", "7.0", "2026-11-22T11:00:00Z"));

        target.deliver(List.of(reading("Meter002", "1-0:1.8.0", "8.0", at("11:30"))));
        passMoment(target, at("12:00"));

        assertThat(rowsOf("registers-20261122-1200.csv")).containsExactly(
                List.of("Meter001", "1-0:1.8.0", "2026-11-22T11:10:00Z", "101.0", "2026-11-22T12:00:00Z"),
                List.of("Meter001", "1-0:2.8.0", "2026-11-22T10:45:00Z", "3.25", "2026-11-22T12:00:00Z"),
                List.of("Meter002", "1-0:1.8.0", "2026-11-22T11:30:00Z", "8.0", "2026-11-22T12:00:00Z"));
    }

    @Test
    void replayedBatch_changesNothing() throws Exception {
        CsvTarget target = started(hourly(), clock);
        List<Reading> batch = List.of(reading("Meter001", "1-0:1.8.0", "1", at("10:30")),
                reading("Meter001", "1-0:1.8.0", "2", at("10:31")));

        target.deliver(batch);
        target.deliver(batch);
        target.deliver(batch.subList(0, 1));
        passMoment(target, T11);

        assertThat(rowsOf("registers-20261122-1100.csv")).singleElement().satisfies(row -> assertThat(row.get(3)).isEqualTo("2"));
    }

    @Test
    void valuesDeliveredBeforeARestart_areInTheExportAfterIt() throws Exception {
        CsvTarget first = started(hourly(), clock);
        first.deliver(List.of(reading("Meter001", "1-0:1.8.0", "42.000", at("10:30"))));
        first.close();

        CsvTarget second = started(hourly(), clock);
        second.deliver(List.of(reading("Meter002", "1-0:1.8.0", "43.000", at("10:35"))));
        passMoment(second, T11);

        assertThat(rowsOf("registers-20261122-1100.csv")).extracting(row -> row.get(3)).containsExactly("42.000", "43.000");
    }

    @Test
    void momentsMissedWhileBusbarWasDown_theLatestIsExportedAtStart() throws Exception {
        CsvTarget first = started(hourly(), clock);
        first.deliver(List.of(reading("Meter001", "1-0:1.8.0", "1", at("10:30"))));
        passMoment(first, T11);
        first.deliver(List.of(reading("Meter001", "1-0:1.8.0", "2", at("11:30"))));
        first.close();

        clock.set(at("14:20")); // down over 12:00, 13:00 and 14:00
        started(hourly(), clock).tick();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted())
                    .containsExactly("registers-20261122-1100.csv", "registers-20261122-1400.csv");
        }
        assertThat(rowsOf("registers-20261122-1400.csv")).singleElement().satisfies(row -> assertThat(row.get(3)).isEqualTo("2"));
    }

    @Test
    void cronSchedule_inTheTargetsTimeZone_givesTheMoments() {
        ExportSchedule firstOfMonth = ExportSchedule.cron("0 0 1 * *");
        java.time.ZoneId minsk = java.time.ZoneId.of("Europe/Minsk");

        assertThat(firstOfMonth.next(START, minsk)).isEqualTo(Instant.parse("2026-11-30T21:00:00Z"));
        assertThat(firstOfMonth.latest(START, minsk)).isEqualTo(Instant.parse("2026-10-31T21:00:00Z"));
        assertThat(ExportSchedule.cronProblem("0 0 1 * *")).isEmpty();
        assertThat(ExportSchedule.cronProblem("every night")).isPresent();
    }

    @Test
    void onTheRealClock_theScheduledExportAppears_andAReaderNeverSeesAPartialFile() throws Exception {
        CsvTarget target = started(CsvTargetSettings.export("billing", dir, ExportSchedule.every(Duration.ofMillis(200)))
                .withGrace(Duration.ZERO).withFileName("registers-{time:HHmmss.SSS}.csv"), Clock.systemUTC());
        List<Reading> meters = new ArrayList<>();
        Instant past = Instant.now().minusSeconds(60);
        for (int i = 0; i < 3000; i++) {
            meters.add(reading(String.format("Meter%05d", i), "1-0:1.8.0", "1523.456", past));
        }
        target.deliver(meters);

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger filesChecked = new AtomicInteger();
        AtomicReference<String> partial = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                        int rows = read(file, StandardCharsets.UTF_8, ';').size();
                        if (rows == 1 + meters.size()) {
                            filesChecked.incrementAndGet();
                        } else if (rows != 1) { // 1: an export that ran before the delivery, complete too
                            partial.set(file + " had " + rows + " rows");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // a file renamed away while listed; look again
                }
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> filesChecked.get() >= 10);
        } finally {
            reading.set(false);
            reader.join();
        }
        assertThat(partial.get()).isNull();
    }
}
