package io.busbar.bootstrap.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountingSettingsTest {

    @Test
    void unknownTarget_nothingToCompute_badDuration_eachWithItsLine() {
        Path file = Path.of("src/test/resources/config/invalid-accounting.yaml");
        var problems = ((InvalidConfigurationException) Assertions.catchThrowable(() -> ConfigFile.load(file)))
                .problems().stream().map(Problem::toString).toList();
        assertThat(problems).containsExactlyInAnyOrder(
                file + ":14:1: accounting: no mapping file has an accounting: block: nothing to compute",
                file + ":16:15: accounting.events-to[0]: unknown target 'crm' (defined: out)",
                file + ":17:3: accounting.late-data: must be a duration such as 500ms, 10s, 5m, 1h or 2d");
    }

    @Test
    void totals_badCron_fileName_decimalMark_dateFormat_encoding_column_eachWithItsLine() {
        Path file = Path.of("src/test/resources/config/invalid-accounting-totals.yaml");
        var problems = ((InvalidConfigurationException) Assertions.catchThrowable(() -> ConfigFile.load(file)))
                .problems().stream().map(Problem::toString).toList();
        assertThat(problems).containsExactlyInAnyOrder(
                file + ":14:1: accounting: no mapping file has an accounting: block: nothing to compute",
                file + ":18:16: accounting.totals.schedule.cron: must be a cron expression such as \"0 0 1 * *\" (minute hour day"
                        + " month weekday): Invalid value for MinuteOfHour (valid values 0 - 59): 61 '61' in cron expression"
                        + " \"0 61 * * * *\"",
                file + ":19:5: accounting.totals.file-name: has an unknown placeholder {meter} (known: {date}, {time:PATTERN}, {pair})",
                file + ":20:5: accounting.totals.decimal-mark: must differ from the separator ';'",
                file + ":21:5: accounting.totals.date-format: must be a date-time pattern such as dd.MM.yyyy HH:mm:ss:"
                        + " Too many pattern letters: q",
                file + ":22:5: accounting.totals.encoding: must be UTF-8 or windows-1251",
                file + ":25:9: accounting.totals.columns[1]: unknown field 'account' (known: group, quantity, tariff, from, to, meters,"
                        + " register-sum, consumption, unit, estimated, missing, quality)");
    }

    @Test
    void totals_twoMomentsWithOneFileName_isAProblem(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("mappings"));
        Files.copy(Path.of("src/test/resources/config/mappings/plant.yaml"), dir.resolve("mappings/plant.yaml"));
        Path file = dir.resolve("busbar.yaml");
        Files.writeString(file, Files.readString(Path.of("src/test/resources/config/invalid-accounting-totals.yaml"))
                .replaceAll("(?s)  totals:.*", "  totals:\n    dir: billing\n    schedule: {every: 30s}\n"));
        var problems = ((InvalidConfigurationException) Assertions.catchThrowable(() -> ConfigFile.load(file)))
                .problems().stream().map(Problem::toString).toList();
        assertThat(problems).contains(file + ":18:5: accounting.totals.schedule: gives the moments 2026-01-01T00:01:00Z and"
                + " 2026-01-01T00:01:30Z the same file name totals-pair-20260101-0001.csv: put a finer {time:PATTERN} in file-name"
                + " (e.g. {time:yyyyMMdd-HHmmss})");
    }
}
