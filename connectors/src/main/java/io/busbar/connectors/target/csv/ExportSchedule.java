package io.busbar.connectors.target.csv;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/**
 * The moments T of a scheduled export: a cron expression in the target's time zone (5 fields as
 * in crontab, or 6 with seconds first), or a fixed interval aligned to multiples of it since
 * 1970-01-01T00:00Z (so {@code every: 15m} exports at :00, :15, :30, :45).
 */
public sealed interface ExportSchedule {

    /** The first moment strictly after {@code after}. */
    Instant next(Instant after, ZoneId zone);

    /** The latest moment at or before {@code at}. */
    Instant latest(Instant at, ZoneId zone);

    static ExportSchedule cron(String expression) {
        return new Cron(expression);
    }

    static ExportSchedule every(Duration interval) {
        return new Every(interval);
    }

    /** What is wrong with a cron expression, for a configuration problem; empty when it is fine. */
    static Optional<String> cronProblem(String expression) {
        try {
            new Cron(expression);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("must be a cron expression such as \"0 0 1 * *\" (minute hour day month weekday): "
                    + e.getMessage());
        }
    }

    record Cron(String expression, CronExpression parsed) implements ExportSchedule {
        public Cron(String expression) {
            this(expression, CronExpression.parse(expression.strip().split("\\s+").length == 5
                    ? "0 " + expression.strip() : expression.strip()));
        }

        @Override
        public Instant next(Instant after, ZoneId zone) {
            ZonedDateTime next = parsed.next(after.atZone(zone));
            if (next == null) {
                throw new IllegalStateException("cron expression " + expression + " has no moment after " + after);
            }
            return next.toInstant();
        }

        @Override
        public Instant latest(Instant at, ZoneId zone) {
            // Walk forward from a bounded distance back: cron expressions have no "previous".
            for (Duration back : new Duration[] {Duration.ofDays(2), Duration.ofDays(40), Duration.ofDays(400), Duration.ofDays(3000)}) {
                Instant candidate = null;
                Instant moment = next(at.minus(back), zone);
                while (!moment.isAfter(at)) {
                    candidate = moment;
                    moment = next(moment, zone);
                }
                if (candidate != null) {
                    return candidate;
                }
            }
            return at.minus(Duration.ofDays(3000));
        }

        @Override
        public String toString() {
            return "cron " + expression;
        }
    }

    record Every(Duration interval) implements ExportSchedule {
        public Every {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("an export interval must be positive");
            }
        }

        @Override
        public Instant next(Instant after, ZoneId zone) {
            return latest(after, zone).plus(interval);
        }

        @Override
        public Instant latest(Instant at, ZoneId zone) {
            long step = interval.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), step) * step);
        }

        @Override
        public String toString() {
            return "every " + interval;
        }
    }
}
