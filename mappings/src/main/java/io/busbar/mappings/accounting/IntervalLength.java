package io.busbar.mappings.accounting;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The length of an accounting interval, aligned to the wall clock of a time zone: quarter hours,
 * half hours and hours start at :00 (:15, :30, :45) local time, days at local midnight, months on the
 * 1st at local midnight. A local day has 23 or 25 hours on DST change days, so it has 92 or 100
 * quarter hours; sub-day intervals follow the instant timeline, so none is lost or doubled.
 */
public enum IntervalLength {
    /** For trials and tests of the running service: a quarter of a minute closes while one watches. */
    SEC15("15s", Duration.ofSeconds(15)),
    /** For trials and tests, like 15s. */
    MIN1("1min", Duration.ofMinutes(1)),
    /** Five-minute settlement (e.g. Australia's NEM since 2021). */
    MIN5("5min", Duration.ofMinutes(5)),
    MIN15("15min", Duration.ofMinutes(15)),
    MIN30("30min", Duration.ofMinutes(30)),
    HOUR("hour", Duration.ofHours(1)),
    DAY("day", null),
    MONTH("month", null);

    private final String wireName;
    private final Duration fixed;

    IntervalLength(String wireName, Duration fixed) {
        this.wireName = wireName;
        this.fixed = fixed;
    }

    /** {@code 15s}, {@code 1min}, {@code 5min}, {@code 15min}, {@code 30min}, {@code hour}, {@code day}, {@code month}. */
    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException for a name that is not one of ours */
    public static IntervalLength fromWireName(String name) {
        for (IntervalLength length : values()) {
            if (length.wireName.equals(name)) {
                return length;
            }
        }
        throw new IllegalArgumentException("not an interval length: " + name + " (15s, 1min, 5min, 15min, 30min, hour, day, month)");
    }

    /** The nominal length: 15 s, 1 min, 5 min, 15 min, 30 min, 1 h, 1 day, 31 days (for comparisons, not arithmetic). */
    public Duration nominal() {
        return switch (this) {
            case DAY -> Duration.ofDays(1);
            case MONTH -> Duration.ofDays(31);
            default -> fixed;
        };
    }

    /** The start of the interval that contains {@code at}. */
    public Instant start(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalDateTime floored = switch (this) {
            case MONTH -> local.toLocalDate().withDayOfMonth(1).atStartOfDay();
            case DAY -> local.toLocalDate().atStartOfDay();
            default -> {
                long seconds = fixed.toSeconds();
                int secondOfDay = local.toLocalTime().truncatedTo(ChronoUnit.SECONDS).toSecondOfDay();
                yield local.toLocalDate().atTime(LocalTime.ofSecondOfDay(secondOfDay - secondOfDay % seconds));
            }
        };
        // in the repeated hour of a DST fall-back keep the offset the instant had
        Instant start = ZonedDateTime.ofLocal(floored, zone, local.getOffset()).toInstant();
        if (fixed != null && start.isAfter(at)) {
            start = start.minus(fixed); // a floored local time in the gap of a spring-forward
        }
        return start;
    }

    /** The start of the next interval, for an {@code start} that is an interval start. */
    public Instant next(Instant start, ZoneId zone) {
        if (fixed != null) {
            return start.plus(fixed);
        }
        ZonedDateTime local = start.atZone(zone);
        return (this == DAY ? local.toLocalDate().plusDays(1) : local.toLocalDate().withDayOfMonth(1).plusMonths(1))
                .atStartOfDay(zone).toInstant();
    }

    /** The interval starts s with from ≤ s and s + length ≤ to: the whole intervals inside [from, to]. */
    public List<Instant> startsWithin(Instant from, Instant to, ZoneId zone) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        List<Instant> starts = new ArrayList<>();
        Instant s = start(from, zone);
        if (s.isBefore(from)) {
            s = next(s, zone);
        }
        while (!next(s, zone).isAfter(to)) {
            starts.add(s);
            s = next(s, zone);
        }
        return starts;
    }
}
