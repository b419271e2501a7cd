package io.busbar.connectors.target.csv;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The keys of a {@code type: csv} entry; its schema is generated from this record. */
@JsonClassDescription("billing CSV files, appended or exported on a schedule")
@Schema.RequiredWhen(key = "mode", equals = "export", then = "schedule")
@Schema.DefaultsIn(CsvTargetSettings.class)
public record CsvTargetConfig(
        @Schema.AnyValue String type,
        @Schema.Choice(value = {"append", "export"}, message = "must be append or export")
        @JsonPropertyDescription("append: a row per reading, daily or size rotation (default); export: the latest"
                + " value per meter and quantity at each scheduled moment.") String mode,
        @JsonProperty(required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("Directory of the files, relative to this file.") String dir,
        @JsonProperty("file-name") @Schema.Size(min = 1)
        @JsonPropertyDescription("File name template: {date}, {time:PATTERN}, {seq}, {target}. Default"
                + " readings-{date}.csv (append), registers-{time:yyyyMMdd-HHmm}.csv (export).") String fileName,
        @Schema.Size(min = 1)
        @Schema.Items(description = "A column: a field name (header = the name), or {header, field} or {header, text}."
                + " Fields: key, pair, server, meter, quantity, value, unit, raw, source-time, server-time, quality,"
                + " status, export-time, validation, flags, account, serial, address, groups, medium, accumulation,"
                + " tariff, meter.<attribute>, quantity.<attribute>.")
        @JsonPropertyDescription("The columns in order. Default (append): key, meter, quantity, source-time, value,"
                + " unit, quality; (export): meter, quantity, source-time, value, unit.") List<ColumnConfig> columns,
        @JsonPropertyDescription("Write a header row. Default true.") Boolean header,
        @Schema.Size(min = 1, max = 1) @JsonPropertyDescription("Field separator. Default ;") String separator,
        @JsonProperty("decimal-mark") @Schema.Size(min = 1, max = 1)
        @JsonPropertyDescription("Decimal mark of values. Default .") String decimalMark,
        @JsonProperty("date-format") @Schema.Size(min = 1)
        @JsonPropertyDescription("Pattern of times (java.time DateTimeFormatter), e.g. dd.MM.yyyy HH:mm:ss. Default"
                + " yyyy-MM-dd'T'HH:mm:ssXXX.") String dateFormat,
        @JsonProperty("time-zone") @Schema.Size(min = 1)
        @JsonPropertyDescription("Time zone of times, file names, daily rotation and cron, e.g. Europe/Minsk. Default"
                + " UTC.") String timeZone,
        @Schema.Choice(value = {"UTF-8", "windows-1251"}, message = "must be UTF-8 or windows-1251")
        @JsonPropertyDescription("Default UTF-8.") String encoding,
        @Schema.Choice(value = {"daily", "size"}, message = "must be daily or size")
        @JsonPropertyDescription("append: complete the file at the end of each day (default) or at max-size.")
        String rotate,
        @JsonProperty("max-size")
        @Schema.Pattern(value = "^[0-9]+(KB|MB|GB)$", message = "must be a size such as 512KB, 64MB or 1GB")
        @JsonPropertyDescription("append with rotate: size: complete the file at this size. Default 64MB.")
        String maxSize,
        @JsonPropertyDescription("export: when. cron (minute hour day month weekday, in time-zone) or every (an"
                + " interval, aligned to 00:00 UTC).") ScheduleConfig schedule,
        @JsonPropertyDescription("export: wait this long after each moment for readings still on their way. Default"
                + " 5s.") Duration grace,
        @JsonPropertyDescription("Attributes per meter id for meter.<attribute> columns (account, serial, address,"
                + " ...). When given, only these meters are written.") Map<String, Map<String, Attribute>> meters,
        @JsonPropertyDescription("Attributes per quantity code for quantity.<attribute> columns (tariff-zone,"
                + " service, ...). When given, only these quantities are written.")
        Map<String, Map<String, Attribute>> quantities,
        RetryConfig retry) {

    /**
     * Left out, a key takes its default (its constant in {@link CsvTargetSettings}); the file name
     * and columns depend on the mode, the zone, mode and rotation are read into their types.
     */
    public CsvTargetConfig {
        header = Objects.requireNonNullElse(header, CsvTargetSettings.DEFAULT_HEADER);
        separator = Objects.requireNonNullElse(separator, String.valueOf(CsvTargetSettings.DEFAULT_SEPARATOR));
        decimalMark = Objects.requireNonNullElse(decimalMark, String.valueOf(CsvTargetSettings.DEFAULT_DECIMAL_MARK));
        dateFormat = Objects.requireNonNullElse(dateFormat, CsvTargetSettings.DEFAULT_DATE_FORMAT);
        encoding = Objects.requireNonNullElse(encoding, CsvTargetSettings.DEFAULT_ENCODING.name());
        grace = Objects.requireNonNullElse(grace, CsvTargetSettings.DEFAULT_GRACE);
        columns = Objects.requireNonNullElse(columns, List.of());
        meters = Objects.requireNonNullElse(meters, Map.of());
        quantities = Objects.requireNonNullElse(quantities, Map.of());
    }

    /** An attribute value of a meter or quantity, as YAML gives it. */
    @Schema.Scalar
    @Schema.Types({"string", "number"})
    public record Attribute(Object value) {

        /** Binds the scalar as written. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public Attribute {
        }
    }
}
