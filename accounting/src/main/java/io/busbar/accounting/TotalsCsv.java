package io.busbar.accounting;

import io.busbar.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Group totals as a billing CSV: a header, one row per group and register, {@code ;}-separated,
 * CRLF line ends, times in the accounting time zone, written atomically (temp file + rename) so a
 * billing program polling the folder never reads half a file. The columns are {@link #FIELDS} in
 * that order unless others are given: fields under headers of the billing program's choosing, and
 * constant cells (the source, a service code).
 */
public final class TotalsCsv {

    /** Every field a column can show, the default columns in their default order. */
    public static final List<String> FIELDS = List.of("group", "quantity", "tariff", "from", "to", "meters", "register-sum",
            "consumption", "unit", "estimated", "missing", "quality");
    public static final String HEADER = String.join(";", FIELDS);
    public static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd HH:mm";

    /**
     * A column: a field of {@link #FIELDS} or a constant text, under a header.
     *
     * @param field null for a constant column
     * @param text  the constant, when {@code field} is null
     */
    public record Column(String header, String field, String text) {
        public Column {
            Objects.requireNonNull(header, "header");
            if ((field == null) == (text == null)) {
                throw new IllegalArgumentException("a column has a field or a text, not both or neither");
            }
            if (field != null && !FIELDS.contains(field)) {
                throw new IllegalArgumentException(fieldProblem(field));
            }
        }

        public static Column field(String header, String field) {
            return new Column(header, field, null);
        }

        public static Column text(String header, String text) {
            return new Column(header, null, text);
        }
    }

    public static final List<Column> DEFAULT_COLUMNS = FIELDS.stream().map(f -> Column.field(f, f)).toList();

    private final char decimalMark;
    private final DateTimeFormatter times;
    private final List<Column> columns;

    public TotalsCsv(ZoneId zone, char decimalMark, String dateFormat) {
        this(zone, decimalMark, dateFormat, DEFAULT_COLUMNS);
    }

    public TotalsCsv(ZoneId zone, char decimalMark, String dateFormat, List<Column> columns) {
        this.decimalMark = decimalMark;
        this.times = DateTimeFormatter.ofPattern(Objects.requireNonNull(dateFormat, "dateFormat")).withZone(zone);
        this.columns = columns.isEmpty() ? DEFAULT_COLUMNS : List.copyOf(columns);
    }

    /** Why a field name is not one, for a configuration problem. */
    public static String fieldProblem(String field) {
        return "unknown field '" + field + "' (known: " + String.join(", ", FIELDS) + ")";
    }

    public String render(List<TotalRow> rows) {
        StringBuilder out = new StringBuilder();
        line(out, columns.stream().map(c -> cell(c.header())).toList());
        for (TotalRow row : rows) {
            line(out, columns.stream().map(c -> c.field() == null ? cell(c.text()) : value(row, c.field())).toList());
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append(String.join(";", cells)).append("\r\n");
    }

    private String value(TotalRow row, String field) {
        return switch (field) {
            case "group" -> cell(row.group());
            case "quantity" -> cell(row.quantity());
            case "tariff" -> cell(row.tariff());
            case "from" -> times.format(row.from());
            case "to" -> times.format(row.to());
            case "meters" -> Integer.toString(row.meters());
            case "register-sum" -> number(row.registerSum());
            case "consumption" -> number(row.consumption());
            case "unit" -> cell(row.unit());
            case "estimated" -> number(row.estimated());
            case "missing" -> Integer.toString(row.missing());
            default -> row.quality();
        };
    }

    public void write(Path file, List<TotalRow> rows, Charset charset) {
        try {
            AtomicFiles.write(file, render(rows), charset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private String number(BigDecimal value) {
        String plain = value.toPlainString();
        return decimalMark == '.' ? plain : plain.replace('.', decimalMark);
    }

    private static String cell(String text) {
        if (text == null) {
            return "";
        }
        if (text.indexOf(';') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
