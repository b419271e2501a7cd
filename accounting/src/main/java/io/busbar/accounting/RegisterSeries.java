package io.busbar.accounting;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.validation.Flag;
import io.busbar.mappings.validation.Validator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The readings of one register in source-time order, unwrapped into a cumulative amount that only
 * rolls forward: a register that rolled over at 10^digits continues above the modulus, and after a
 * reset or an unannounced meter swap it continues from where it was (the amount consumed across the
 * reset is unknown and counted as 0; the interval says {@code reset}). A swap announced in the
 * mapping (a new {@code offset}) does not decrease the value and needs nothing here.
 *
 * <p>The rules are the Validator's ({@link Validator#ROLLOVER_NEAR_TOP}, {@link Validator#ROLLOVER_NEAR_ZERO}),
 * so an interval says {@code rollover} exactly where the reading did. Bad readings and readings
 * without a value are left out. Two readings with the same source time: the later one in input
 * order wins, which is how late corrections replace what came before.
 */
final class RegisterSeries {

    /**
     * @param cumulative the unwrapped amount, in the register's unit
     * @param value      the register as read
     * @param event      {@code rollover} or {@code reset} when the register went down on this reading, else null
     */
    record Point(Instant time, BigDecimal cumulative, BigDecimal value, String event) {
    }

    private final SeriesId id;
    private final List<Point> points;
    private final Reading sample;

    private RegisterSeries(SeriesId id, List<Point> points, Reading sample) {
        this.id = id;
        this.points = points;
        this.sample = sample;
    }

    /**
     * @param readings the series' readings in input order (the later of two with the same source time wins)
     * @param register its register in the mapping (digits, scale), or null when unknown: then every decrease is a reset
     */
    static RegisterSeries of(SeriesId id, List<Reading> readings, Register register) {
        Map<Instant, Reading> byTime = new TreeMap<>();
        Reading sample = null;
        for (Reading reading : readings) {
            if (reading.value() == null || reading.quality() == Quality.BAD) {
                continue;
            }
            byTime.put(reading.sourceTime(), reading);
            sample = reading;
        }
        List<Point> points = new ArrayList<>(byTime.size());
        Reading previous = null;
        BigDecimal cumulative = null;
        for (Reading reading : byTime.values()) {
            String event = null;
            if (previous == null) {
                cumulative = reading.value();
            } else {
                BigDecimal delta = reading.value().subtract(previous.value());
                if (delta.signum() < 0) {
                    BigDecimal wrapped = rolledOver(register, previous, reading);
                    event = wrapped != null ? Flag.ROLLOVER.id() : Flag.RESET.id();
                    delta = wrapped != null ? wrapped : BigDecimal.ZERO;
                }
                cumulative = cumulative.add(delta);
            }
            points.add(new Point(reading.sourceTime(), cumulative, reading.value(), event));
            previous = reading;
        }
        return new RegisterSeries(id, Collections.unmodifiableList(points), sample);
    }

    /** The amount consumed across a rollover, in the register's unit; null when the decrease is no rollover. */
    private static BigDecimal rolledOver(Register register, Reading previous, Reading now) {
        if (register == null || register.modulus() == null || previous.raw() == null || now.raw() == null) {
            return null;
        }
        BigDecimal modulus = register.modulus();
        boolean rollover = previous.raw().compareTo(modulus.multiply(Validator.ROLLOVER_NEAR_TOP)) > 0
                && now.raw().compareTo(modulus.multiply(Validator.ROLLOVER_NEAR_ZERO)) < 0
                && now.raw().signum() >= 0;
        return rollover ? register.value(now.raw().add(modulus)).subtract(register.value(previous.raw())) : null;
    }

    SeriesId id() {
        return id;
    }

    List<Point> points() {
        return points;
    }

    boolean isEmpty() {
        return points.isEmpty();
    }

    /** The newest reading (for the meter's attributes, unit and tariff); null when there is none. */
    Reading sample() {
        return sample;
    }

    /** Index of the last point at or before {@code t}, or -1. */
    int floor(Instant t) {
        int lo = 0;
        int hi = points.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (!points.get(mid).time().isAfter(t)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The rollover and reset events in (from, to], in order, each once. */
    List<String> eventsIn(Instant from, Instant to) {
        List<String> events = new ArrayList<>(0);
        for (int i = floor(from) + 1; i < points.size() && !points.get(i).time().isAfter(to); i++) {
            String event = points.get(i).event();
            if (event != null && !events.contains(event)) {
                events.add(event);
            }
        }
        return events;
    }
}
