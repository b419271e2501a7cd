package io.busbar.bootstrap.config;

import java.time.Duration;

/**
 * The configuration's duration form, the same grammar as the mapping files'
 * ({@link io.busbar.mappings.validation.Durations}): {@code 500ms}, {@code 10s}, {@code 5m},
 * {@code 1h}, {@code 2d}, at most 9 digits.
 */
public final class Durations {

    /** The form as a regular expression, as the schema's duration pattern. */
    public static final String PATTERN = "^" + io.busbar.mappings.validation.Durations.REGEX + "$";

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not such a duration */
    public static Duration parse(String text) {
        return io.busbar.mappings.validation.Durations.parse(text);
    }

    /** The way durations are written in configuration: {@code 3s}, {@code 1500ms}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
