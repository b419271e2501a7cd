package io.busbar.connectors.target.csv;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetType;
import io.busbar.connectors.target.csv.CsvTargetSettings.Column;
import io.busbar.connectors.target.csv.CsvTargetSettings.Mode;
import io.busbar.connectors.target.csv.CsvTargetSettings.Rotate;
import io.busbar.mappings.yaml.LocatedDocument;
import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@code type: csv}: billing CSV files, appended per reading or exported on a schedule. */
public final class CsvTargetType extends TargetType<CsvTargetSettings> {

    private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");

    public CsvTargetType() {
        super(CsvTargetSettings.TYPE, CsvTargetSettings.class, CsvTargetConfig.class);
    }

    @Override
    public void check(TargetEntry entry) {
        JsonNode target = entry.node();
        Mode mode = target.path("mode").asText("").equals("export") ? Mode.EXPORT : Mode.APPEND;
        Rotate rotate = target.path("rotate").asText("").equals("size") ? Rotate.SIZE : Rotate.DAILY;
        checkModeKeys(entry, mode, rotate);
        JsonNode fileName = target.path("file-name");
        if (fileName.isTextual()) {
            FileNameTemplate.problem(fileName.asText(), mode, rotate).ifPresent(p -> entry.problem("/file-name", p));
        }
        JsonNode dateFormat = target.path("date-format");
        if (dateFormat.isTextual()) {
            CsvTargetSettings.dateFormatProblem(dateFormat.asText()).ifPresent(p -> entry.problem("/date-format", p));
        }
        JsonNode zone = target.path("time-zone");
        if (zone.isTextual()) {
            try {
                ZoneId.of(zone.asText());
            } catch (DateTimeException e) {
                entry.problem("/time-zone", "must be a time zone such as Europe/Minsk or UTC");
            }
        }
        JsonNode cron = target.path("schedule").path("cron");
        if (cron.isTextual()) {
            ExportSchedule.cronProblem(cron.asText()).ifPresent(p -> entry.problem("/schedule/cron", p));
        }
        if (target.path("separator").isTextual() && target.path("separator").asText()
                .equals(target.path("decimal-mark").asText(String.valueOf(CsvTargetSettings.DEFAULT_DECIMAL_MARK)))) {
            entry.problem("/separator", "must differ from the decimal mark");
        }
        checkColumns(entry, mode);
        if (target.path("dir").isTextual()) {
            entry.claim("csv " + entry.path(target.get("dir").asText()) + "|" + target.path("file-name").asText("")
                            + "|" + target.path("mode").asText(CsvTargetSettings.DEFAULT_MODE.configName()), "/dir",
                    other -> "target '" + other + "' writes the same files here: give one of them another dir or file-name");
        }
    }

    private static void checkModeKeys(TargetEntry entry, Mode mode, Rotate rotate) {
        JsonNode target = entry.node();
        if (mode == Mode.APPEND) {
            for (String key : List.of("schedule", "grace")) {
                if (target.has(key)) {
                    entry.problem("/" + key, key + " applies to mode: export only");
                }
            }
            if (target.has("max-size") && rotate != Rotate.SIZE) {
                entry.problem("/max-size", "max-size applies to rotate: size only");
            }
        } else {
            for (String key : List.of("rotate", "max-size")) {
                if (target.has(key)) {
                    entry.problem("/" + key, key + " applies to mode: append only");
                }
            }
        }
    }

    /** Column fields, and every text that ends up in the file when the encoding cannot hold all of Unicode. */
    private static void checkColumns(TargetEntry entry, Mode mode) {
        JsonNode target = entry.node();
        JsonNode columns = target.path("columns");
        Charset charset = target.path("encoding").asText("").equals("windows-1251") ? WINDOWS_1251 : null;
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String pointer = "/columns/" + i;
            JsonNode field = column.isTextual() ? column : column.path("field");
            if (field.isTextual()) {
                String fieldPointer = column.isTextual() ? pointer : pointer + "/field";
                CsvTargetSettings.fieldProblem(field.asText()).ifPresent(p -> entry.problem(fieldPointer, p));
                if (mode == Mode.APPEND && field.asText().equals("export-time")) {
                    entry.problem(fieldPointer, "export-time exists only in mode: export");
                }
            }
            checkEncodable(entry, column.path("header"), charset, pointer + "/header");
            checkEncodable(entry, column.path("text"), charset, pointer + "/text");
            checkEncodable(entry, column.isTextual() ? column : null, charset, pointer);
        }
        for (String section : List.of("meters", "quantities")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = target.path(section).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> item = it.next();
                for (Iterator<Map.Entry<String, JsonNode>> attrs = item.getValue().fields(); attrs.hasNext(); ) {
                    Map.Entry<String, JsonNode> attr = attrs.next();
                    checkEncodable(entry, attr.getValue(), charset, "/" + section + LocatedDocument.pointerSegment(item.getKey())
                            + LocatedDocument.pointerSegment(attr.getKey()));
                }
            }
        }
    }

    private static void checkEncodable(TargetEntry entry, JsonNode text, Charset charset, String pointer) {
        if (charset != null && text != null && text.isTextual()) {
            CsvTargetSettings.unencodable(text.asText(), charset).ifPresent(c -> entry.problem(pointer,
                    "'" + c + "' cannot be written in " + charset.name()));
        }
    }

    @Override
    public CsvTargetSettings settings(TargetEntry entry) {
        CsvTargetConfig config = entry.config(CsvTargetConfig.class);
        Mode mode = Optional.ofNullable(config.mode()).map(Mode::fromConfig).orElse(CsvTargetSettings.DEFAULT_MODE);
        boolean export = mode == Mode.EXPORT;
        List<Column> columns = config.columns().isEmpty()
                ? (export ? CsvTargetSettings.DEFAULT_EXPORT_COLUMNS : CsvTargetSettings.DEFAULT_APPEND_COLUMNS)
                : config.columns().stream().map(CsvTargetType::column).toList();
        Optional<ExportSchedule> schedule = !export ? Optional.empty()
                : Optional.of(config.schedule().cron() != null ? ExportSchedule.cron(config.schedule().cron())
                        : ExportSchedule.every(config.schedule().every()));
        return new CsvTargetSettings(entry.name(), mode, entry.path(config.dir()),
                Objects.requireNonNullElse(config.fileName(), export ? CsvTargetSettings.DEFAULT_EXPORT_FILE_NAME
                        : CsvTargetSettings.DEFAULT_APPEND_FILE_NAME),
                columns, config.header(), config.separator().charAt(0), config.decimalMark().charAt(0),
                config.dateFormat(),
                Optional.ofNullable(config.timeZone()).<ZoneId>map(ZoneId::of).orElse(CsvTargetSettings.DEFAULT_TIME_ZONE),
                CsvTargetSettings.encodingOf(config.encoding()),
                Optional.ofNullable(config.rotate()).map(Rotate::fromConfig).orElse(CsvTargetSettings.DEFAULT_ROTATE),
                entry.size("/max-size", CsvTargetSettings.DEFAULT_MAX_SIZE), schedule, config.grace(),
                attributes(config.meters()), attributes(config.quantities()));
    }

    private static Column column(ColumnConfig column) {
        return column instanceof ColumnConfig.Field field ? Column.field(field.header(), field.field())
                : Column.text(((ColumnConfig.Text) column).header(), ((ColumnConfig.Text) column).text());
    }

    private static Map<String, Map<String, String>> attributes(Map<String, Map<String, CsvTargetConfig.Attribute>> written) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        written.forEach((item, attributes) -> {
            Map<String, String> values = new LinkedHashMap<>();
            attributes.forEach((name, value) -> values.put(name, String.valueOf(value.value())));
            result.put(item, values);
        });
        return result;
    }

    @Override
    public CsvTarget create(CsvTargetSettings settings) {
        return new CsvTarget(settings);
    }
}
