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
 * times in the accounting time zone, written atomically (temp file + rename) so a billing program
 * polling the folder never reads half a file.
 */
public final class TotalsCsv {

    public static final String HEADER = "group;quantity;tariff;from;to;meters;register-sum;consumption;unit;estimated;missing;quality";
    public static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd HH:mm";

    private final char decimalMark;
    private final DateTimeFormatter times;

    public TotalsCsv(ZoneId zone, char decimalMark, String dateFormat) {
        this.decimalMark = decimalMark;
        this.times = DateTimeFormatter.ofPattern(Objects.requireNonNull(dateFormat, "dateFormat")).withZone(zone);
    }

    public String render(List<TotalRow> rows) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (TotalRow row : rows) {
            out.append(cell(row.group())).append(';')
                    .append(cell(row.quantity())).append(';')
                    .append(cell(row.tariff())).append(';')
                    .append(times.format(row.from())).append(';')
                    .append(times.format(row.to())).append(';')
                    .append(row.meters()).append(';')
                    .append(number(row.registerSum())).append(';')
                    .append(number(row.consumption())).append(';')
                    .append(cell(row.unit())).append(';')
                    .append(number(row.estimated())).append(';')
                    .append(row.missing()).append(';')
                    .append(row.quality()).append("\r\n");
        }
        return out.toString();
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
