package io.busbar.connectors.target.http;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The HTTP {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Optional<Duration> of(HttpResponse<?> response, Clock clock) {
        return response.headers().firstValue("Retry-After").flatMap(value -> parse(value, clock));
    }

    public static Optional<Duration> parse(String value, Clock clock) {
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration delay = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** Whether a status means "try again later": 408, 429 and every 5xx. */
    public static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The start of a response body, for a rejection reason or an exception message. */
    public static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return ": " + (flat.length() > 300 ? flat.substring(0, 300) + "..." : flat);
    }
}
