package io.busbar.connectors.target.csv;

import io.busbar.connectors.target.TargetSettings;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A billing CSV target: readings appended to rotating files, or the latest register values
 * exported on a schedule.
 *
 * @param name        target name
 * @param mode        {@link Mode#APPEND} (a row per reading) or {@link Mode#EXPORT} (a file per moment T)
 * @param dir         directory of the files
 * @param fileName    file name template, see {@link FileNameTemplate}
 * @param columns     the columns, in order
 * @param header      write a header row
 * @param separator   field separator; default {@code ;}
 * @param decimalMark decimal mark of values; default {@code .}
 * @param dateFormat  {@link java.time.format.DateTimeFormatter} pattern of times; default {@value #DEFAULT_DATE_FORMAT}
 * @param timeZone    zone of times in cells and file names, of daily rotation and of cron schedules; default UTC
 * @param encoding    {@code UTF-8} or {@code windows-1251}
 * @param rotate      append: a new file each day ({@link Rotate#DAILY}, default) or at {@code maxSize}
 * @param maxSize     append with {@link Rotate#SIZE}: bytes after which the file is closed; default 64 MB
 * @param schedule    export: when to export
 * @param grace       export: wait this long after T for readings of T still on their way; default 5s
 * @param meters      attributes per meter id (personal account, serial, address, ...), for {@code meter.<name>}
 *                    columns; when given, only these meters are written
 * @param quantities  attributes per quantity code (tariff zone, service, ...), for {@code quantity.<name>}
 *                    columns; when given, only these quantities are written
 */
public record CsvTargetSettings(
        String name,
        Mode mode,
        Path dir,
        String fileName,
        List<Column> columns,
        boolean header,
        char separator,
        char decimalMark,
        String dateFormat,
        ZoneId timeZone,
        Charset encoding,
        Rotate rotate,
        long maxSize,
        Optional<ExportSchedule> schedule,
        Duration grace,
        Map<String, Map<String, String>> meters,
        Map<String, Map<String, String>> quantities) implements TargetSettings {

    public static final String TYPE = "csv";
    public static final Mode DEFAULT_MODE = Mode.APPEND;
    public static final boolean DEFAULT_HEADER = true;
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneOffset.UTC;
    public static final Charset DEFAULT_ENCODING = StandardCharsets.UTF_8;
    public static final Rotate DEFAULT_ROTATE = Rotate.DAILY;
    public static final char DEFAULT_SEPARATOR = ';';
    public static final char DEFAULT_DECIMAL_MARK = '.';
    public static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ssXXX";
    public static final String DEFAULT_APPEND_FILE_NAME = "readings-{date}.csv";
    public static final String DEFAULT_EXPORT_FILE_NAME = "registers-{time:yyyyMMdd-HHmm}.csv";
    public static final long DEFAULT_MAX_SIZE = 64L * 1024 * 1024;
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    public static final List<String> ENCODINGS = List.of("UTF-8", "windows-1251");
    public static final List<Column> DEFAULT_APPEND_COLUMNS = List.of(Column.field("key"), Column.field("meter"),
            Column.field("quantity"), Column.field("source-time"), Column.field("value"), Column.field("unit"),
            Column.field("quality"));
    public static final List<Column> DEFAULT_EXPORT_COLUMNS = List.of(Column.field("meter"), Column.field("quantity"),
            Column.field("source-time"), Column.field("value"), Column.field("unit"));

    /** What the target writes. */
    public enum Mode {
        APPEND, EXPORT;

        public static Mode fromConfig(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }

        /** How the mode is written in the configuration. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** When an append file is closed and the next one begun. */
    public enum Rotate {
        DAILY, SIZE;

        public static Rotate fromConfig(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One column: a header and either a field ({@link CsvRows#FIELDS}, {@code meter.<attribute>},
     * {@code quantity.<attribute>}) or a constant text.
     */
    public record Column(String header, Optional<String> field, Optional<String> text) {
        public Column {
            if (field.isPresent() == text.isPresent()) {
                throw new IllegalArgumentException("a column has either a field or a text");
            }
            field.flatMap(CsvRows::fieldProblem).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
        }

        public static Column field(String field) {
            return new Column(field, Optional.of(field), Optional.empty());
        }

        public static Column field(String header, String field) {
            return new Column(header, Optional.of(field), Optional.empty());
        }

        public static Column text(String header, String text) {
            return new Column(header, Optional.empty(), Optional.of(text));
        }
    }

    public CsvTargetSettings {
        columns = List.copyOf(columns);
        meters = Map.copyOf(meters);
        quantities = Map.copyOf(quantities);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a CSV target needs at least one column");
        }
        if (separator == decimalMark || separator == '"' || decimalMark == '"') {
            throw new IllegalArgumentException("separator and decimal mark must differ from each other and from '\"'");
        }
        FileNameTemplate.problem(fileName, mode, rotate).ifPresent(p -> {
            throw new IllegalArgumentException("file-name " + p);
        });
        if (mode == Mode.EXPORT && schedule.isEmpty()) {
            throw new IllegalArgumentException("an export needs a schedule");
        }
        if (mode == Mode.APPEND) {
            columns.stream().flatMap(c -> c.field().stream()).filter("export-time"::equals).findFirst().ifPresent(f -> {
                throw new IllegalArgumentException("export-time exists only in export mode");
            });
        }
        CsvRows.formatter(dateFormat, timeZone);
    }

    /** Append mode with every default, writing into {@code dir}. */
    public static CsvTargetSettings append(String name, Path dir) {
        return new CsvTargetSettings(name, Mode.APPEND, dir, DEFAULT_APPEND_FILE_NAME, DEFAULT_APPEND_COLUMNS, DEFAULT_HEADER,
                DEFAULT_SEPARATOR, DEFAULT_DECIMAL_MARK, DEFAULT_DATE_FORMAT, DEFAULT_TIME_ZONE, DEFAULT_ENCODING,
                DEFAULT_ROTATE, DEFAULT_MAX_SIZE, Optional.empty(), DEFAULT_GRACE, Map.of(), Map.of());
    }

    /** Export mode with every default, writing into {@code dir} on {@code schedule}. */
    public static CsvTargetSettings export(String name, Path dir, ExportSchedule schedule) {
        return new CsvTargetSettings(name, Mode.EXPORT, dir, DEFAULT_EXPORT_FILE_NAME, DEFAULT_EXPORT_COLUMNS, DEFAULT_HEADER,
                DEFAULT_SEPARATOR, DEFAULT_DECIMAL_MARK, DEFAULT_DATE_FORMAT, DEFAULT_TIME_ZONE, DEFAULT_ENCODING,
                DEFAULT_ROTATE, DEFAULT_MAX_SIZE, Optional.of(schedule), DEFAULT_GRACE, Map.of(), Map.of());
    }

    public CsvTargetSettings withColumns(List<Column> value) {
        return new CsvTargetSettings(name, mode, dir, fileName, value, header, separator, decimalMark, dateFormat, timeZone,
                encoding, rotate, maxSize, schedule, grace, meters, quantities);
    }

    public CsvTargetSettings withFormat(char separatorChar, char decimal, String datePattern, ZoneId zone, Charset charset) {
        return new CsvTargetSettings(name, mode, dir, fileName, columns, header, separatorChar, decimal, datePattern, zone,
                charset, rotate, maxSize, schedule, grace, meters, quantities);
    }

    public CsvTargetSettings withFileName(String template) {
        return new CsvTargetSettings(name, mode, dir, template, columns, header, separator, decimalMark, dateFormat, timeZone,
                encoding, rotate, maxSize, schedule, grace, meters, quantities);
    }

    public CsvTargetSettings withRotation(Rotate value, long bytes) {
        return new CsvTargetSettings(name, mode, dir, fileName, columns, header, separator, decimalMark, dateFormat, timeZone,
                encoding, value, bytes, schedule, grace, meters, quantities);
    }

    public CsvTargetSettings withGrace(Duration value) {
        return new CsvTargetSettings(name, mode, dir, fileName, columns, header, separator, decimalMark, dateFormat, timeZone,
                encoding, rotate, maxSize, schedule, value, meters, quantities);
    }

    public CsvTargetSettings withAttributes(Map<String, Map<String, String>> meterAttributes,
                                            Map<String, Map<String, String>> quantityAttributes) {
        return new CsvTargetSettings(name, mode, dir, fileName, columns, header, separator, decimalMark, dateFormat, timeZone,
                encoding, rotate, maxSize, schedule, grace, meterAttributes, quantityAttributes);
    }

    public CsvTargetSettings withHeader(boolean value) {
        return new CsvTargetSettings(name, mode, dir, fileName, columns, value, separator, decimalMark, dateFormat, timeZone,
                encoding, rotate, maxSize, schedule, grace, meters, quantities);
    }

    /** Whether this reading goes into the files ({@code meters} and {@code quantities} select, when given). */
    public boolean selects(String meter, String quantity) {
        return (meters.isEmpty() || meters.containsKey(meter)) && (quantities.isEmpty() || quantities.containsKey(quantity));
    }

    /** {@code UTF-8} or {@code windows-1251} → the charset. */
    public static Charset encodingOf(String text) {
        return Charset.forName(text);
    }

    /** What is wrong with a column field, for a configuration problem; empty when it is fine. */
    public static Optional<String> fieldProblem(String field) {
        return CsvRows.fieldProblem(field);
    }

    /** What is wrong with a date format pattern, for a configuration problem; empty when it is fine. */
    public static Optional<String> dateFormatProblem(String pattern) {
        try {
            CsvRows.formatter(pattern, ZoneOffset.UTC);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("must be a date-time pattern such as dd.MM.yyyy HH:mm:ss: " + e.getMessage());
        }
    }

    /** The first character of {@code text} that {@code charset} cannot hold, if any. */
    public static Optional<Character> unencodable(String text, Charset charset) {
        return CsvRows.unencodable(text, charset);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
