package io.busbar.bootstrap.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the configuration's duration form: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
final class Durations {

    /** The form as a regular expression, as the schema's duration pattern. */
    static final String PATTERN = "^(\\d+)(ms|s|m|h)$";
    private static final Pattern FORM = Pattern.compile(PATTERN);

    private Durations() {
    }

    static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The way durations are written in configuration: {@code 3s}, {@code 1500ms}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
