package io.busbar.connectors.target.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.target.csv.CsvTargetSettings.Mode;
import io.busbar.connectors.target.csv.CsvTargetSettings.Rotate;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CSV file name template's placeholders and problems, pinned when its parser became the shared one (issue 17). */
class FileNameTemplateTest {

    private static final Instant T = Instant.parse("2026-03-29T01:30:00Z");

    @Test
    void render_fillsDateTimeSeqAndTarget_inTheTargetsZone() {
        assertThat(FileNameTemplate.render("{target}-{date}-{time:HHmm}-{seq}.csv", "billing", T,
                ZoneId.of("Europe/Berlin"), 3)).isEqualTo("billing-2026-03-29-0330-3.csv");
    }

    @Test
    void problems_nameTheFirstBadPlaceholder_thenUnmatchedBraces_thenWhatTheModeNeeds() {
        assertThat(FileNameTemplate.problem("{date}.csv", Mode.EXPORT, Rotate.DAILY)).isEmpty();
        String unknown = "has an unknown placeholder {day} (known: {date}, {time:PATTERN}, {seq}, {target})";
        String noPattern = "needs a pattern in {time:PATTERN}, e.g. {time:yyyyMMdd-HHmm}";
        String unmatched = "has an unmatched '{' or '}'";
        Map<String, String> exportProblems = new LinkedHashMap<>();
        exportProblems.put("{day}-{time:}.csv", unknown);
        exportProblems.put("{time:}.csv", noPattern);
        exportProblems.put("{time}.csv", noPattern);
        exportProblems.put("{date}-{seq.csv", unmatched);
        exportProblems.put("{Date}.csv", unmatched);
        exportProblems.put("}{date}.csv", unmatched);
        exportProblems.put("{target}.csv", "needs {date} or {time:PATTERN}, so each export gets its own file");
        exportProblems.forEach((template, problem) -> assertThat(FileNameTemplate.problem(template, Mode.EXPORT,
                Rotate.DAILY)).as(template).hasValue(problem));
        assertThat(FileNameTemplate.problem("{time:yyyy{MM}.csv", Mode.EXPORT, Rotate.DAILY)).get().asString()
                .startsWith("has a bad {time:PATTERN}: ");
        assertThat(FileNameTemplate.problem("{date}.csv", Mode.APPEND, Rotate.SIZE)).hasValue(
                "needs {seq} for rotation by size");
    }
}
