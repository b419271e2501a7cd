package io.busbar.connectors.target.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.target.csv.CsvTargetSettings.Mode;
import io.busbar.connectors.target.csv.CsvTargetSettings.Rotate;
import java.time.Instant;
import java.time.ZoneId;
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
        assertThat(FileNameTemplate.problem("{day}-{time:}.csv", Mode.EXPORT, Rotate.DAILY)).hasValue(
                "has an unknown placeholder {day} (known: {date}, {time:PATTERN}, {seq}, {target})");
        assertThat(FileNameTemplate.problem("{time:}.csv", Mode.EXPORT, Rotate.DAILY)).hasValue(
                "needs a pattern in {time:PATTERN}, e.g. {time:yyyyMMdd-HHmm}");
        assertThat(FileNameTemplate.problem("{time}.csv", Mode.EXPORT, Rotate.DAILY)).hasValue(
                "needs a pattern in {time:PATTERN}, e.g. {time:yyyyMMdd-HHmm}");
        assertThat(FileNameTemplate.problem("{time:yyyy{MM}.csv", Mode.EXPORT, Rotate.DAILY)).get().asString()
                .startsWith("has a bad {time:PATTERN}: ");
        assertThat(FileNameTemplate.problem("{date}-{seq.csv", Mode.EXPORT, Rotate.DAILY)).hasValue(
                "has an unmatched '{' or '}'");
        assertThat(FileNameTemplate.problem("{Date}.csv", Mode.EXPORT, Rotate.DAILY)).hasValue(
                "has an unmatched '{' or '}'");
        assertThat(FileNameTemplate.problem("}{date}.csv", Mode.EXPORT, Rotate.DAILY)).hasValue(
                "has an unmatched '{' or '}'");
        assertThat(FileNameTemplate.problem("{target}.csv", Mode.EXPORT, Rotate.DAILY)).hasValue(
                "needs {date} or {time:PATTERN}, so each export gets its own file");
        assertThat(FileNameTemplate.problem("{date}.csv", Mode.APPEND, Rotate.SIZE)).hasValue(
                "needs {seq} for rotation by size");
    }
}
