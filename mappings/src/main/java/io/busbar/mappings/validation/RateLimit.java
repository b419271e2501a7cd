package io.busbar.mappings.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The largest plausible change of a value per time, written {@code 500/h} or {@code 2.5/15m}: at
 * most 500 units of the value per hour. For an energy register in kWh, {@code 500/h} means 500 kW.
 *
 * @param amount change in the unit of the value, positive
 * @param per    the time it may take, positive
 */
public record RateLimit(BigDecimal amount, Duration per) {

    public static final String REGEX = "[0-9]{1,15}(\\.[0-9]{1,15})?/([0-9]{1,9})?(ms|s|m|h|d)";
    private static final Pattern FORM = Pattern.compile("^([0-9]{1,15}(?:\\.[0-9]{1,15})?)/([0-9]{1,9})?(ms|s|m|h|d)$");

    public RateLimit {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(per, "per");
        if (amount.signum() <= 0 || per.isZero() || per.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs a positive amount and time");
        }
    }

    /** @throws IllegalArgumentException when the text is not such a rate, or is zero */
    public static RateLimit parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rate: " + text);
        }
        long count = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
        return new RateLimit(new BigDecimal(m.group(1)), Durations.of(count, m.group(3)));
    }

    /** Whether changing by {@code delta} within {@code elapsed} is faster than this limit (exact, no division). */
    public boolean exceededBy(BigDecimal delta, Duration elapsed) {
        // |delta| / elapsed > amount / per  ⇔  |delta| × per > amount × elapsed
        return delta.abs().multiply(Durations.seconds(per)).compareTo(amount.multiply(Durations.seconds(elapsed))) > 0;
    }

    @Override
    public String toString() {
        return amount.toPlainString() + "/" + per;
    }
}
