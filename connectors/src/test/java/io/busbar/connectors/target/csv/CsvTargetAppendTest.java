package io.busbar.connectors.target.csv;

import static io.busbar.connectors.support.TestReadings.batch;
import static io.busbar.connectors.support.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.csv.CsvTargetSettings.Column;
import io.busbar.mappings.model.Reading;
import io.busbar.support.testing.MutableClock;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The billing CSV target in append mode; files are read back with Apache Commons CSV in their encoding. */
class CsvTargetAppendTest {

    static final ZoneId MINSK = ZoneId.of("Europe/Minsk");
    /** 2026-11-22 05:10:05 in Minsk. */
    static final Instant NOW = Instant.parse("2026-11-22T02:10:05Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(NOW);
    private final List<CsvTarget> targets = new ArrayList<>();

    @AfterEach
    void closeTargets() throws IOException {
        for (CsvTarget target : targets) {
            target.close();
        }
    }

    private CsvTarget started(CsvTargetSettings settings) throws IOException {
        CsvTarget target = new CsvTarget(settings, clock);
        target.start();
        targets.add(target);
        return target;
    }

    static CsvTargetSettings billing(Path dir, String encoding) {
        return CsvTargetSettings.append("billing", dir)
                .withFormat(';', ',', "dd.MM.yyyy HH:mm:ss", MINSK, Charset.forName(encoding))
                .withColumns(List.of(
                        Column.field("ЛицевойСчет", "meter.account"),
                        Column.field("Адрес", "meter.address"),
                        Column.field("ЗаводскойНомерПУ", "meter.serial"),
                        Column.field("ТарифнаяЗона", "quantity.tariff-zone"),
                        Column.field("ДатаПоказания", "source-time"),
                        Column.field("Показание", "value"),
                        Column.field("ЕдИзм", "unit"),
                        Column.text("Источник", "АСКУЭ"),
                        Column.field("Ключ", "key")))
                .withAttributes(
                        Map.of("Meter001", Map.of("account", "5087875888", "serial", "033807",
                                        "address", "г. Витебск, ул. Ленина, д. 1; кв. \"7\""),
                                "Meter002", Map.of("account", "5087875889", "serial", "033808", "address", "г. Витебск")),
                        Map.of("1-0:1.8.1", Map.of("tariff-zone", "T1"), "1-0:1.8.2", Map.of("tariff-zone", "T2")));
    }

    static List<CSVRecord> read(Path file, Charset charset, char separator) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, charset);
             CSVParser parser = CSVFormat.DEFAULT.builder().setDelimiter(separator).get().parse(reader)) {
            return parser.getRecords();
        }
    }

    private List<String> visibleFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"windows-1251", "UTF-8"})
    void rows_areWrittenInTheConfiguredFormatAndEncoding_andCompletedAtTheEndOfTheDay(String encoding) throws Exception {
        CsvTarget target = started(billing(dir, encoding));
        Reading t1 = reading("plant", "Meter001", "1-0:1.8.1", new java.math.BigDecimal("7054.890"), "кВт·ч", NOW);
        Reading t2 = reading("plant", "Meter002", "1-0:1.8.2", new java.math.BigDecimal("12.5"), "кВт·ч", NOW.plusSeconds(1));

        target.deliver(List.of(t1, t2));
        assertThat(visibleFiles()).as("nothing visible before the file is complete").isEmpty();

        clock.advance(Duration.ofDays(1));
        target.tick();

        assertThat(visibleFiles()).containsExactly("readings-2026-11-22.csv");
        Path file = dir.resolve("readings-2026-11-22.csv");
        List<CSVRecord> records = read(file, Charset.forName(encoding), ';');
        assertThat(records.get(0).values()).containsExactly("ЛицевойСчет", "Адрес", "ЗаводскойНомерПУ", "ТарифнаяЗона",
                "ДатаПоказания", "Показание", "ЕдИзм", "Источник", "Ключ");
        assertThat(records.get(1).values()).containsExactly("5087875888", "г. Витебск, ул. Ленина, д. 1; кв. \"7\"", "033807",
                "T1", "22.11.2026 05:10:05", "7054,890", "кВт·ч", "АСКУЭ", t1.key());
        assertThat(records.get(2).values()).containsExactly("5087875889", "г. Витебск", "033808", "T2",
                "22.11.2026 05:10:06", "12,5", "кВт·ч", "АСКУЭ", t2.key());
        assertThat(records).hasSize(3);
        assertThat(new String(Files.readAllBytes(file), Charset.forName(encoding))).contains("\r\n").doesNotContain("\r\n\r\n");
        if (encoding.equals("windows-1251")) {
            assertThat(Files.readAllBytes(file)).as("one byte per Cyrillic letter").hasSize(
                    new String(Files.readAllBytes(file), Charset.forName("windows-1251")).length());
        }
    }

    @Test
    void meterAttributesOfTheMappingFile_fillTheirColumns_unlessTheTargetConfigSetsThem() throws Exception {
        CsvTarget target = started(CsvTargetSettings.append("billing", dir)
                .withColumns(List.of(Column.field("meter.account"), Column.field("meter.serial"), Column.field("address"),
                        Column.field("tariff"), Column.field("medium"), Column.field("accumulation"),
                        Column.field("validation"), Column.field("flags"), Column.field("groups")))
                .withAttributes(Map.of("Meter001", Map.of("account", "from-config")), Map.of()));
        Reading mapped = new Reading("plant/Meter001/1-0:1.8.1/" + NOW, "plant", io.busbar.mappings.model.ServerRole.PRIMARY,
                "Meter001", "1-0:1.8.1", new java.math.BigDecimal("1.5"), "kWh", null, NOW, null,
                io.busbar.mappings.model.Quality.GOOD, 0, io.busbar.mappings.model.ValidationStatus.QUESTIONABLE,
                List.of("spike", "rollover"), "033807", "5087875888", "ул. Ленина, 1", List.of("bld-12", "feeder-3"),
                io.busbar.mappings.model.Medium.ELECTRICITY, io.busbar.mappings.model.Accumulation.REGISTER, "T1");

        target.deliver(List.of(mapped));
        clock.advance(Duration.ofDays(1));
        target.tick();

        assertThat(read(dir.resolve("readings-2026-11-22.csv"), StandardCharsets.UTF_8, ';').get(1).values())
                .containsExactly("from-config", "033807", "ул. Ленина, 1", "T1", "electricity", "register", "QUESTIONABLE",
                        "spike,rollover", "bld-12,feeder-3");
    }

    @Test
    void readingsOfMetersOrQuantitiesNotListed_areSkipped() throws Exception {
        CsvTarget target = started(billing(dir, "UTF-8"));

        target.deliver(List.of(reading("Meter001", "1-0:1.8.1", "1", NOW), reading("Meter003", "1-0:1.8.1", "2", NOW),
                reading("Meter001", "1-0:1.7.0", "3", NOW)));
        clock.advance(Duration.ofDays(1));
        target.tick();

        assertThat(read(dir.resolve("readings-2026-11-22.csv"), StandardCharsets.UTF_8, ';')).hasSize(2);
    }

    @Test
    void readingWithACharacterWindows1251CannotHold_isRejected_andTheOthersWritten() throws Exception {
        CsvTarget target = started(CsvTargetSettings.append("billing", dir)
                .withFormat(';', '.', CsvTargetSettings.DEFAULT_DATE_FORMAT, MINSK, Charset.forName("windows-1251")));
        Reading chinese = reading("電表-1", "1-0:1.8.0", "5", NOW);
        List<Reading> batch = new ArrayList<>(batch(3));
        batch.add(1, chinese);

        assertThatThrownBy(() -> target.deliver(batch)).isInstanceOfSatisfying(RejectedReadingsException.class,
                e -> assertThat(e.rejections()).singleElement().satisfies(r -> {
                    assertThat(r.reading()).isEqualTo(chinese);
                    assertThat(r.reason()).contains("windows-1251");
                }));
        clock.advance(Duration.ofDays(1));
        target.tick();

        assertThat(read(dir.resolve("readings-2026-11-22.csv"), Charset.forName("windows-1251"), ';'))
                .extracting(r -> r.get(1)).containsExactly("meter", "Meter001", "Meter002", "Meter003");
    }

    @Test
    void sizeRotation_completesTheFileAtMaxSize_andNumbersTheNext() throws Exception {
        CsvTarget target = started(CsvTargetSettings.append("billing", dir)
                .withFileName("readings-{time:yyyyMMdd}-{seq}.csv").withRotation(CsvTargetSettings.Rotate.SIZE, 2_000));

        for (int i = 0; i < 5; i++) {
            target.deliver(batch(10, NOW.plusSeconds(10L * i)));
        }

        assertThat(visibleFiles()).startsWith("readings-20261122-1.csv", "readings-20261122-2.csv");
        for (String name : visibleFiles()) {
            List<CSVRecord> records = read(dir.resolve(name), StandardCharsets.UTF_8, ';');
            assertThat(records.get(0).get(0)).isEqualTo("key");
            assertThat(Files.size(dir.resolve(name))).isGreaterThanOrEqualTo(2_000);
        }
    }

    @Test
    void restart_goesOnWithTheCurrentFile_withoutASecondHeader() throws Exception {
        CsvTarget first = started(CsvTargetSettings.append("billing", dir));
        first.deliver(batch(2));
        first.close();

        CsvTarget second = started(CsvTargetSettings.append("billing", dir));
        second.deliver(batch(3, NOW.plusSeconds(60)));
        clock.advance(Duration.ofDays(1));
        second.tick();

        List<CSVRecord> records = read(dir.resolve("readings-2026-11-22.csv"), StandardCharsets.UTF_8, ';');
        assertThat(records).hasSize(1 + 5);
        assertThat(records.stream().filter(r -> r.get(0).equals("key"))).hasSize(1);
    }

    @Test
    void directoryUnavailable_atStartAndOnDelivery_isTransient_thenTheSameBatchIsWritten() throws Exception {
        Path share = dir.resolve("share");
        Files.writeString(share, "not a directory: the share is not mounted");
        CsvTarget target = started(CsvTargetSettings.append("billing", share)); // starts all the same
        List<Reading> batch = batch(4);

        assertThatThrownBy(() -> target.deliver(batch)).isInstanceOf(IOException.class);

        Files.delete(share);
        Files.createDirectories(share);
        target.deliver(batch);
        clock.advance(Duration.ofDays(1));
        target.tick();

        assertThat(read(share.resolve("readings-2026-11-22.csv"), StandardCharsets.UTF_8, ';')).extracting(r -> r.get(0))
                .containsExactly("key", batch.get(0).key(), batch.get(1).key(), batch.get(2).key(), batch.get(3).key());
    }

    @Test
    void fileNameTemplates_areChecked() {
        assertThat(FileNameTemplate.problem("readings.csv", CsvTargetSettings.Mode.APPEND, CsvTargetSettings.Rotate.DAILY))
                .contains("needs {date} or {time:PATTERN} for daily rotation");
        assertThat(FileNameTemplate.problem("r-{date}.csv", CsvTargetSettings.Mode.APPEND, CsvTargetSettings.Rotate.SIZE))
                .contains("needs {seq} for rotation by size");
        assertThat(FileNameTemplate.problem("r-{day}.csv", CsvTargetSettings.Mode.EXPORT, CsvTargetSettings.Rotate.DAILY))
                .hasValueSatisfying(p -> assertThat(p).contains("unknown placeholder {day}"));
        assertThat(FileNameTemplate.problem("../r-{date}.csv", CsvTargetSettings.Mode.EXPORT, CsvTargetSettings.Rotate.DAILY))
                .isPresent();
        assertThat(FileNameTemplate.render("{target}-{time:yyyyMMdd-HHmm}.csv", "billing", NOW, MINSK, 1))
                .isEqualTo("billing-20261122-0510.csv");
    }
}
