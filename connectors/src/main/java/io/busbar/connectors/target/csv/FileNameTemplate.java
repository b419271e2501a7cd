package io.busbar.connectors.target.csv;

import io.busbar.mappings.template.PlaceholderSyntax;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * A file name template. Placeholders: {@code {date}} (yyyy-MM-dd), {@code {time:PATTERN}} (any
 * {@link DateTimeFormatter} pattern, e.g. {@code {time:yyyyMMdd-HHmm}}), {@code {seq}} (1, 2, ...:
 * the file's number within one name, for size rotation) and {@code {target}}. The time is the
 * export moment T (export mode) or the day or opening time of the file (append mode), in the
 * target's time zone.
 */
public final class FileNameTemplate {

    /** A lower-case name with an optional {@code :argument}; any other brace is unmatched. */
    private static final PlaceholderSyntax SYNTAX = PlaceholderSyntax.of("\\{([a-z]+)(?::([^}]*))?}", false);

    private FileNameTemplate() {
    }

    public static String render(String template, String target, Instant time, ZoneId zone, int seq) {
        StringBuilder out = new StringBuilder();
        for (PlaceholderSyntax.Piece piece : SYNTAX.scan(template)) {
            if (piece instanceof PlaceholderSyntax.Placeholder placeholder) {
                out.append(switch (placeholder.name()) {
                    case "date" -> DateTimeFormatter.ISO_LOCAL_DATE.format(time.atZone(zone));
                    case "time" -> DateTimeFormatter.ofPattern(placeholder.argument()).format(time.atZone(zone));
                    case "seq" -> Integer.toString(seq);
                    default -> target;
                });
            } else {
                out.append(piece.text());
            }
        }
        return out.toString();
    }

    /** What is wrong with a template for this mode and rotation, in words; empty when it is fine. */
    public static Optional<String> problem(String template, CsvTargetSettings.Mode mode, CsvTargetSettings.Rotate rotate) {
        if (template == null || template.isBlank()) {
            return Optional.of("must not be empty");
        }
        if (template.contains("/") || template.contains("\\") || template.startsWith(".")) {
            return Optional.of("must be a plain file name (no directories, not starting with '.')");
        }
        List<PlaceholderSyntax.Piece> pieces = SYNTAX.scan(template);
        boolean time = false;
        boolean seq = false;
        for (PlaceholderSyntax.Piece piece : pieces) {
            if (!(piece instanceof PlaceholderSyntax.Placeholder placeholder)) {
                continue;
            }
            String pattern = placeholder.argument();
            switch (placeholder.name()) {
                case "date" -> time = true;
                case "time" -> {
                    time = true;
                    try {
                        DateTimeFormatter.ofPattern(pattern == null ? "" : pattern);
                    } catch (IllegalArgumentException e) {
                        return Optional.of("has a bad {time:PATTERN}: " + e.getMessage());
                    }
                    if (pattern == null || pattern.isEmpty()) {
                        return Optional.of("needs a pattern in {time:PATTERN}, e.g. {time:yyyyMMdd-HHmm}");
                    }
                }
                case "seq" -> seq = true;
                case "target" -> {
                }
                default -> {
                    return Optional.of("has an unknown placeholder {" + placeholder.name() + "} (known: {date}, {time:PATTERN}, {seq}, {target})");
                }
            }
        }
        if (pieces.stream().anyMatch(PlaceholderSyntax.StrayBrace.class::isInstance)) {
            return Optional.of("has an unmatched '{' or '}'");
        }
        if (mode == CsvTargetSettings.Mode.EXPORT && !time) {
            return Optional.of("needs {date} or {time:PATTERN}, so each export gets its own file");
        }
        if (mode == CsvTargetSettings.Mode.APPEND && rotate == CsvTargetSettings.Rotate.DAILY && !time) {
            return Optional.of("needs {date} or {time:PATTERN} for daily rotation");
        }
        if (mode == CsvTargetSettings.Mode.APPEND && rotate == CsvTargetSettings.Rotate.SIZE && !seq) {
            return Optional.of("needs {seq} for rotation by size");
        }
        return Optional.empty();
    }
}
