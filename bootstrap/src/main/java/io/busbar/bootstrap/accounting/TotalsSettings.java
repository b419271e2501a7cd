package io.busbar.bootstrap.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.accounting.LiveTotals;
import io.busbar.accounting.TotalsCsv;
import io.busbar.bootstrap.config.ConfigBinding;
import io.busbar.bootstrap.config.schema.AccountingConfig.TotalsConfig;
import io.busbar.connectors.target.csv.ColumnConfig;
import io.busbar.connectors.target.csv.CsvTargetSettings;
import io.busbar.connectors.target.csv.ExportSchedule;
import io.busbar.connectors.target.csv.FileNameTemplate;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * {@code accounting.totals} of busbar.yaml: the billing totals the running accounting writes at the
 * moments of a schedule, one CSV file per pair and moment. The schedule and file name work as for a
 * {@code csv} target in {@code mode: export} ({@link ExportSchedule}, {@link FileNameTemplate}), in
 * the accounting's time zone, plus a {@code {pair}} placeholder.
 */
final class TotalsSettings {

    static final String KEY = "totals";

    private TotalsSettings() {
    }

    /**
     * What the schema cannot check: the file name template (and that it names two moments apart), the
     * date format, the cron expression, the decimal mark against the separator.
     */
    static void check(LocatedDocument document, JsonNode totals, String at, List<Problem> problems) {
        if (!totals.isObject()) {
            return;
        }
        JsonNode fileName = totals.path("file-name");
        int before = problems.size();
        if (fileName.isTextual()) {
            FileNameTemplate.problem(withoutPair(fileName.asText()), CsvTargetSettings.Mode.EXPORT, CsvTargetSettings.Rotate.DAILY)
                    .map(p -> p.replace("{seq}, {target}", "{pair}"))
                    .ifPresent(p -> problems.add(document.problemAt(at + "/file-name", p)));
        }
        JsonNode dateFormat = totals.path("date-format");
        if (dateFormat.isTextual()) {
            CsvTargetSettings.dateFormatProblem(dateFormat.asText()).ifPresent(p -> problems.add(document.problemAt(at + "/date-format", p)));
        }
        JsonNode cron = totals.path("schedule").path("cron");
        if (cron.isTextual()) {
            ExportSchedule.cronProblem(cron.asText()).ifPresent(p -> problems.add(document.problemAt(at + "/schedule/cron", p)));
        }
        if (totals.path("decimal-mark").asText().equals(";")) {
            problems.add(document.problemAt(at + "/decimal-mark", "must differ from the separator ';'"));
        }
        checkColumns(document, totals, at, problems);
        if (problems.size() == before && (totals.path("schedule").has("cron") || totals.path("schedule").has("every"))
                && totals.path("dir").isTextual()) {
            try {
                ConfigBinding.bindIfValid(totals, TotalsConfig.class).flatMap(config -> sameNameProblem(of(config, Path.of("."))))
                        .ifPresent(p -> problems.add(document.problemAt(at + (fileName.isTextual() ? "/file-name" : "/schedule"), p)));
            } catch (IllegalArgumentException reportedBySchema) {
                // a bad duration or encoding: the schema's problem names it
            } catch (IllegalStateException never) {
                problems.add(document.problemAt(at + "/schedule", "has no moment: " + never.getMessage()));
            }
        }
    }

    private static void checkColumns(LocatedDocument document, JsonNode totals, String at, List<Problem> problems) {
        JsonNode columns = totals.path("columns");
        Charset charset = totals.path("encoding").asText().equals("windows-1251") ? Charset.forName("windows-1251") : null;
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String pointer = at + "/columns/" + i;
            JsonNode field = column.isTextual() ? column : column.path("field");
            if (field.isTextual() && !TotalsCsv.FIELDS.contains(field.asText())) {
                problems.add(document.problemAt(column.isTextual() ? pointer : pointer + "/field", TotalsCsv.fieldProblem(field.asText())));
            }
            for (String key : List.of("header", "text")) {
                if (charset != null && column.path(key).isTextual()) {
                    CsvTargetSettings.unencodable(column.get(key).asText(), charset).ifPresent(c -> problems.add(
                            document.problemAt(pointer + "/" + key, "'" + c + "' cannot be written in " + charset.name())));
                }
            }
        }
    }

    private static List<TotalsCsv.Column> columns(List<ColumnConfig> list) {
        return list.stream().map(column -> column instanceof ColumnConfig.Field field
                ? TotalsCsv.Column.field(field.header(), field.field())
                : text((ColumnConfig.Text) column)).toList();
    }

    private static TotalsCsv.Column text(ColumnConfig.Text column) {
        return TotalsCsv.Column.text(column.header(), column.text());
    }

    /** A moment whose file is there is not written again: two moments with one name would lose the second. */
    private static Optional<String> sameNameProblem(LiveTotals.Settings settings) {
        Instant moment = settings.schedule().next(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        for (int i = 0; i < 3; i++) { // the first three pairs of moments: every: 30s has its second pair in one minute
            Instant next = settings.schedule().next(moment, ZoneOffset.UTC);
            String name = settings.fileNames().name("pair", moment, ZoneOffset.UTC);
            if (name.equals(settings.fileNames().name("pair", next, ZoneOffset.UTC))) {
                return Optional.of("gives the moments " + moment + " and " + next + " the same file name " + name
                        + ": put a finer {time:PATTERN} in file-name (e.g. {time:yyyyMMdd-HHmmss})");
            }
            moment = next;
        }
        return Optional.empty();
    }

    static LiveTotals.Settings of(TotalsConfig totals, Path baseDir) {
        ExportSchedule moments = totals.schedule().cron() != null ? ExportSchedule.cron(totals.schedule().cron())
                : ExportSchedule.every(totals.schedule().every());
        String template = totals.fileName();
        return new LiveTotals.Settings(baseDir.resolve(totals.dir()).normalize(),
                (pair, moment, zone) -> FileNameTemplate.render(template.replace("{pair}", pair), pair, moment, zone, 1),
                moments::next, totals.grace(), totals.decimalMark().charAt(0), totals.dateFormat(),
                CsvTargetSettings.encodingOf(totals.encoding()), columns(totals.columns()));
    }

    /** {@code {pair}} is ours: the csv target's template checker does not know it. */
    private static String withoutPair(String template) {
        return template.replace("{pair}", "pair");
    }
}
