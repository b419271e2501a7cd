package io.busbar.connectors.target.csv;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file name template. Placeholders: {@code {date}} (yyyy-MM-dd), {@code {time:PATTERN}} (any
 * {@link DateTimeFormatter} pattern, e.g. {@code {time:yyyyMMdd-HHmm}}), {@code {seq}} (1, 2, ...:
 * the file's number within one name, for size rotation) and {@code {target}}. The time is the
 * export moment T (export mode) or the day or opening time of the file (append mode), in the
 * target's time zone.
 */
public final class FileNameTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)(?::([^}]*))?}");

    private FileNameTemplate() {
    }

    public static String render(String template, String target, Instant time, ZoneId zone, int seq) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "date" -> DateTimeFormatter.ISO_LOCAL_DATE.format(time.atZone(zone));
                case "time" -> DateTimeFormatter.ofPattern(m.group(2)).format(time.atZone(zone));
                case "seq" -> Integer.toString(seq);
                default -> target;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
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
        Matcher m = PLACEHOLDER.matcher(template);
        boolean time = false;
        boolean seq = false;
        while (m.find()) {
            switch (m.group(1)) {
                case "date" -> time = true;
                case "time" -> {
                    time = true;
                    try {
                        DateTimeFormatter.ofPattern(m.group(2) == null ? "" : m.group(2));
                    } catch (IllegalArgumentException e) {
                        return Optional.of("has a bad {time:PATTERN}: " + e.getMessage());
                    }
                    if (m.group(2) == null || m.group(2).isEmpty()) {
                        return Optional.of("needs a pattern in {time:PATTERN}, e.g. {time:yyyyMMdd-HHmm}");
                    }
                }
                case "seq" -> seq = true;
                case "target" -> {
                }
                default -> {
                    return Optional.of("has an unknown placeholder {" + m.group(1) + "} (known: {date}, {time:PATTERN}, {seq}, {target})");
                }
            }
        }
        String rest = PLACEHOLDER.matcher(template).replaceAll("");
        if (rest.contains("{") || rest.contains("}")) {
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
