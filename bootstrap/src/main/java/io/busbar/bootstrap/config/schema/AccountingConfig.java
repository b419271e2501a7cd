package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.accounting.TotalsCsv;
import io.busbar.connectors.schema.Name;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.csv.ColumnConfig;
import io.busbar.connectors.target.csv.CsvTargetSettings;
import io.busbar.connectors.target.csv.ScheduleConfig;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@code accounting:}; checked further by {@code AccountingSettings}. */
@JsonClassDescription("Energy accounting in the running service: consumption per interval and group events of the"
        + " pairs whose mapping files have an accounting: block, computed from the readings as they leave the buffer"
        + " and handed to targets. Standalone deployments only.")
public record AccountingConfig(
        @JsonProperty("intervals-to") @Schema.Unique
        @JsonPropertyDescription("Targets that get the consumption per interval (derived readings, quantity such as"
                + " 1-0:1.8.0@15min). An sql target with on-conflict: replace keeps one value per interval.")
        List<Name> intervalsTo,
        @JsonProperty("events-to") @Schema.Unique
        @JsonPropertyDescription("Targets that get the imbalance and limit events (as readings: meter = the group,"
                + " quantity such as 1-0:1.8.0@15min/imbalance).") List<Name> eventsTo,
        @JsonProperty("state-dir") @Schema.Size(min = 1)
        @JsonPropertyDescription("Where the accounting keeps its register log and what it handed on, relative to this"
                + " file. Default: the buffer's data-dir/accounting") String stateDir,
        @JsonProperty("late-data")
        @JsonPropertyDescription("How long after an interval late readings (a backfill) still recompute it. Default"
                + " 24h; the window starts at the longest interval holding (newest reading - late-data).")
        Duration lateData,
        TotalsConfig totals) {

    /** How long late readings still recompute an interval when the file does not say. */
    public static final Duration DEFAULT_LATE_DATA = Duration.ofHours(24);

    /** Left out, no target gets the intervals or events, and late data waits the default. */
    public AccountingConfig {
        intervalsTo = Objects.requireNonNullElse(intervalsTo, List.of());
        eventsTo = Objects.requireNonNullElse(eventsTo, List.of());
        lateData = Objects.requireNonNullElse(lateData, DEFAULT_LATE_DATA);
    }

    /** {@code accounting.totals:}. */
    @JsonClassDescription("Billing totals at the moments of a schedule: per pair and moment one CSV file with, per"
            + " group and register (tariff zone), the consumption since the previous moment and the register sum at"
            + " the moment. Each moment once, none skipped, across restarts.")
    public record TotalsConfig(
            @JsonProperty(required = true) @Schema.Size(min = 1)
            @JsonPropertyDescription("Directory of the files, relative to this file.") String dir,
            @JsonProperty(required = true)
            @JsonPropertyDescription("The moments: cron (minute hour day month weekday, in the accounting's time"
                    + " zone) or every (an interval, aligned to 00:00 UTC).") ScheduleConfig schedule,
            @JsonProperty("file-name") @Schema.Size(min = 1)
            @JsonPropertyDescription("Template: {pair}, {date}, {time:PATTERN} (the moment, in the accounting's time"
                    + " zone). Default totals-{pair}-{time:yyyyMMdd-HHmm}.csv") String fileName,
            @JsonPropertyDescription("Write a moment once a reading of the pair is this far past it (readings of the"
                    + " moment still on their way). Default 5m.") Duration grace,
            @JsonProperty("decimal-mark") @Schema.Size(min = 1, max = 1)
            @JsonPropertyDescription("Decimal mark of amounts, e.g. ','. Default '.'.") String decimalMark,
            @JsonProperty("date-format") @Schema.Size(min = 1)
            @JsonPropertyDescription("Pattern of the from and to cells (java.time), in the accounting's time zone."
                    + " Default yyyy-MM-dd HH:mm.") String dateFormat,
            @Schema.Choice(value = {"UTF-8", "windows-1251"}, message = "must be UTF-8 or windows-1251")
            @JsonPropertyDescription("Default UTF-8.") String encoding,
            @Schema.Size(min = 1)
            @Schema.Items(description = "A column: a field name (header = the name), or {header, field} or {header, text}"
                    + " (a constant, e.g. the source). Fields: group, quantity, tariff, from, to, meters, register-sum,"
                    + " consumption, unit, estimated, missing, quality.")
            @JsonPropertyDescription("The columns of the file, in order. Default: every field, under its own name.")
            List<ColumnConfig> columns) {

        public static final String DEFAULT_FILE_NAME = "totals-{pair}-{time:yyyyMMdd-HHmm}.csv";
        public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);
        public static final char DEFAULT_DECIMAL_MARK = CsvTargetSettings.DEFAULT_DECIMAL_MARK;
        public static final String DEFAULT_DATE_FORMAT = TotalsCsv.DEFAULT_DATE_FORMAT;
        public static final Charset DEFAULT_ENCODING = StandardCharsets.UTF_8;

        /** Left out, a key takes its default (the columns: every field, which the totals file knows). */
        public TotalsConfig {
            fileName = Objects.requireNonNullElse(fileName, DEFAULT_FILE_NAME);
            grace = Objects.requireNonNullElse(grace, DEFAULT_GRACE);
            decimalMark = Objects.requireNonNullElse(decimalMark, String.valueOf(DEFAULT_DECIMAL_MARK));
            dateFormat = Objects.requireNonNullElse(dateFormat, DEFAULT_DATE_FORMAT);
            encoding = Objects.requireNonNullElse(encoding, DEFAULT_ENCODING.name());
            columns = Objects.requireNonNullElse(columns, List.of());
        }
    }
}
