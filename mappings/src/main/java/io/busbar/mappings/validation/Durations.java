package io.busbar.mappings.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The mapping file's duration form: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}. */
public final class Durations {

    /** At most 9 digits, so that no amount overflows a {@link Duration}. */
    public static final String REGEX = "([0-9]{1,9})(ms|s|m|h|d)";
    private static final Pattern FORM = Pattern.compile("^" + REGEX + "$");

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not such a duration */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        return of(Long.parseLong(m.group(1)), m.group(2));
    }

    static Duration of(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The duration in seconds, exactly. */
    static BigDecimal seconds(Duration duration) {
        return BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9));
    }
}
