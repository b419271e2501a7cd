package io.busbar.connectors.target.csv;

import io.busbar.connectors.target.csv.CsvTargetSettings.Column;
import io.busbar.mappings.model.Reading;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders readings as CSV rows (RFC 4180 quoting, CRLF line ends) in the target's format and
 * encoding. A cell is quoted when it holds the separator, a quote or a line break.
 */
final class CsvRows {

    /**
     * Reading fields a column can show; {@code export-time} is the moment T of an export. The meter
     * attributes ({@code account}, {@code serial}, {@code address}, {@code groups}, {@code tariff}, ...)
     * are those of the mapping file; {@code flags} and {@code groups} are comma-separated.
     */
    static final Set<String> FIELDS = Set.of("key", "pair", "server", "meter", "quantity", "value", "unit", "raw",
            "source-time", "server-time", "quality", "status", "export-time", "validation", "flags", "account", "serial",
            "address", "groups", "medium", "accumulation", "tariff");
    /** {@code meter.<attribute>} falls back to the mapping file's value for these, when the target config has none. */
    private static final Set<String> MAPPED_METER_ATTRIBUTES = Set.of("account", "serial", "address");
    static final String LINE_END = "\r\n";

    private final CsvTargetSettings settings;
    private final DateTimeFormatter times;

    CsvRows(CsvTargetSettings settings) {
        this.settings = settings;
        this.times = formatter(settings.dateFormat(), settings.timeZone());
    }

    /** @throws IllegalArgumentException for a pattern {@link DateTimeFormatter} does not take */
    static DateTimeFormatter formatter(String pattern, ZoneId zone) {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern).withZone(zone);
        formatter.format(Instant.EPOCH); // fails now, not at the first row, for e.g. a week-based field
        return formatter;
    }

    /** What is wrong with a column field, in words; empty when it is fine. */
    static Optional<String> fieldProblem(String field) {
        if (FIELDS.contains(field)) {
            return Optional.empty();
        }
        if ((field.startsWith("meter.") && field.length() > 6) || (field.startsWith("quantity.") && field.length() > 9)) {
            return Optional.empty();
        }
        return Optional.of("unknown field '" + field + "' (known: " + String.join(", ", FIELDS.stream().sorted().toList())
                + ", meter.<attribute>, quantity.<attribute>)");
    }

    String header() {
        List<String> cells = new ArrayList<>();
        for (Column column : settings.columns()) {
            cells.add(column.header());
        }
        return line(cells);
    }

    String row(Reading reading, Instant exportTime) {
        List<String> cells = new ArrayList<>(settings.columns().size());
        for (Column column : settings.columns()) {
            cells.add(column.text().orElseGet(() -> cell(column.field().orElseThrow(), reading, exportTime)));
        }
        return line(cells);
    }

    private String cell(String field, Reading r, Instant exportTime) {
        if (field.startsWith("meter.")) {
            String attribute = field.substring(6);
            String configured = settings.meters().getOrDefault(r.meter(), Map.of()).get(attribute);
            if (configured != null || !MAPPED_METER_ATTRIBUTES.contains(attribute)) {
                return configured == null ? "" : configured;
            }
            return cell(attribute, r, exportTime);
        }
        if (field.startsWith("quantity.")) {
            return settings.quantities().getOrDefault(r.quantity(), Map.of()).getOrDefault(field.substring(9), "");
        }
        return switch (field) {
            case "key" -> r.key();
            case "pair" -> r.pair();
            case "server" -> r.server() == null ? "" : r.server().wireName();
            case "meter" -> r.meter();
            case "quantity" -> r.quantity();
            case "value" -> decimal(r.value());
            case "unit" -> r.unit() == null ? "" : r.unit();
            case "raw" -> decimal(r.raw());
            case "source-time" -> times.format(r.sourceTime());
            case "server-time" -> r.serverTime() == null ? "" : times.format(r.serverTime());
            case "quality" -> r.quality() == null ? "" : r.quality().name();
            case "status" -> Long.toString(r.status());
            case "export-time" -> exportTime == null ? "" : times.format(exportTime);
            case "validation" -> r.validation().name();
            case "flags" -> String.join(",", r.flags());
            case "account" -> nullToEmpty(r.account());
            case "serial" -> nullToEmpty(r.serial());
            case "address" -> nullToEmpty(r.address());
            case "groups" -> String.join(",", r.groups());
            case "medium" -> r.medium() == null ? "" : r.medium().wireName();
            case "accumulation" -> r.accumulation() == null ? "" : r.accumulation().wireName();
            case "tariff" -> nullToEmpty(r.tariff());
            default -> throw new IllegalStateException("unchecked field " + field);
        };
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private String decimal(BigDecimal value) {
        if (value == null) {
            return "";
        }
        String text = value.toPlainString();
        return settings.decimalMark() == '.' ? text : text.replace('.', settings.decimalMark());
    }

    private String line(List<String> cells) {
        StringBuilder out = new StringBuilder(cells.size() * 16);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(settings.separator());
            }
            String cell = cells.get(i) == null ? "" : cells.get(i);
            if (cell.indexOf(settings.separator()) >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        return out.append(LINE_END).toString();
    }

    /** The text in the target's encoding. @throws CharacterCodingException for a character it cannot hold */
    byte[] encode(String text) throws CharacterCodingException {
        CharsetEncoder encoder = settings.encoding().newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = encoder.encode(CharBuffer.wrap(text));
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        return out;
    }

    /** The first character of {@code text} that {@code settings}' encoding cannot hold, if any. */
    static Optional<Character> unencodable(String text, java.nio.charset.Charset charset) {
        CharsetEncoder encoder = charset.newEncoder();
        for (char c : text.toCharArray()) {
            if (!encoder.canEncode(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
