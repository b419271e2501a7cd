package io.busbar.mappings.validation;

import io.busbar.mappings.MappingOutcome;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Validation (the V of VEE): flags readings, never edits them. Value and raw value stay as read;
 * the reading gains {@code flags} (rule ids, see {@link Flag}) and a status: {@code VALID} when no
 * rule fired, {@code QUESTIONABLE} otherwise. Which rules run and their limits come from the
 * register's {@link ValidationRules}.
 *
 * <p>Rules on the reading alone: quality (Bad → {@code bad-quality}, then forwarded or dead-lettered
 * by the rules' {@link BadQualityPolicy}; Uncertain → {@code uncertain-quality}), source time ahead
 * of the clock ({@code future-time}) or too old ({@code stale-time}).
 *
 * <p>Rules on a series, i.e. a (pair, meter, quantity), against its previous reading: {@code gap}
 * (source time jumped by more than {@code max-gap}; checked per series, so a meter that went silent
 * flags the first reading of each of its registers after the gap), register decrease
 * ({@code rollover} when the previous raw value was above {@link #ROLLOVER_NEAR_TOP} of 10^digits and
 * the new one is below {@link #ROLLOVER_NEAR_ZERO} of it, otherwise {@code reset}), {@code spike}
 * (change faster than {@code spike-rate}) and {@code frozen} (the same non-zero value
 * {@code frozen-count} times in a row; that reading and each further equal one are flagged).
 *
 * <p>Call {@link #validate} once per reading that is forwarded (after the forward-once gate), in
 * source-time order per series. A Bad reading or one from the future does not become the series'
 * previous value, so one glitch cannot flag the next good reading. A reading older than the series'
 * previous one gets only the single-reading rules. The same reading again (same source time and raw
 * value, e.g. replayed after the buffer refused a batch) gets the same flags as the first time.
 *
 * <p>Thread-safe: series are independent and each is updated under its own lock, so readings of
 * different series may be validated concurrently. State lives in memory; one validator serves any
 * number of pairs and survives mapping reloads (a series is keyed by pair, meter and quantity).
 */
public final class Validator {

    /** A decrease from above 90% of the modulus … */
    public static final BigDecimal ROLLOVER_NEAR_TOP = new BigDecimal("0.9");
    /** … to below 10% of it is a rollover. */
    public static final BigDecimal ROLLOVER_NEAR_ZERO = new BigDecimal("0.1");

    /**
     * No flag: most readings get none, and they are validated one by one at the ingest rate, so the
     * empty case allocates nothing; a set with flags is made when the first one is added.
     */
    private static final Set<Flag> NONE = Collections.unmodifiableSet(EnumSet.noneOf(Flag.class));

    private final Clock clock;
    private final ConcurrentMap<SeriesKey, Series> series = new ConcurrentHashMap<>();

    public Validator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@link #validate(Register, Reading)} for a freshly mapped reading. */
    public ValidationOutcome validate(MappingOutcome.Mapped mapped) {
        return validate(mapped.register(), mapped.reading());
    }

    /**
     * @param register the register the reading was mapped with (its rules, accumulation and digits)
     * @param reading  the reading as mapped
     * @return the reading with its validation status and flags, and whether to forward or dead-letter it
     */
    public ValidationOutcome validate(Register register, Reading reading) {
        ValidationRules rules = register.validation();
        Instant now = clock.instant();
        Set<Flag> flags = NONE;
        Quality quality = reading.quality() != null ? reading.quality() : Quality.ofStatusCode(reading.status());
        if (quality == Quality.BAD) {
            flags = plus(flags, Flag.BAD_QUALITY);
        } else if (quality == Quality.UNCERTAIN) {
            flags = plus(flags, Flag.UNCERTAIN_QUALITY);
        }
        Instant at = reading.sourceTime();
        boolean future = rules.futureTolerance() != null && at.isAfter(now.plus(rules.futureTolerance()));
        if (future) {
            flags = plus(flags, Flag.FUTURE_TIME);
        }
        if (rules.staleAfter() != null && at.isBefore(now.minus(rules.staleAfter()))) {
            flags = plus(flags, Flag.STALE_TIME);
        }
        if (quality != Quality.BAD && !future && reading.value() != null) {
            Series state = series.computeIfAbsent(new SeriesKey(reading.pair(), reading.meter(), reading.quantity()), k -> new Series());
            Set<Flag> ofSeries;
            synchronized (state) {
                ofSeries = state.next(register, rules, reading);
            }
            if (!ofSeries.isEmpty()) { // no iterator for the common case
                for (Flag flag : ofSeries) {
                    flags = plus(flags, flag);
                }
            }
        }

        Reading validated = reading.withValidation(status(reading.validation(), flags), mergedFlags(reading.flags(), flags));
        if (quality == Quality.BAD && rules.badQuality() == BadQualityPolicy.DEAD_LETTER) {
            return new ValidationOutcome.DeadLetter(validated, "bad quality (status 0x"
                    + Long.toHexString(reading.status()).toUpperCase(Locale.ROOT) + ")");
        }
        return new ValidationOutcome.Forward(validated);
    }

    /** Drops what is remembered about a series, e.g. after its meter was removed from the mapping. */
    public void forget(String pair, String meter, String quantity) {
        series.remove(new SeriesKey(pair, meter, quantity));
    }

    /** How many series the validator remembers. */
    public int seriesCount() {
        return series.size();
    }

    private static ValidationStatus status(ValidationStatus before, Set<Flag> flags) {
        if (before == ValidationStatus.ESTIMATED || before == ValidationStatus.EDITED) {
            return before; // made up or corrected values keep saying so; flags tell what else is wrong
        }
        return flags.isEmpty() ? ValidationStatus.VALID : ValidationStatus.QUESTIONABLE;
    }

    /** {@code flags} with {@code flag}; a new set when {@code flags} is {@link #NONE} (the series keep theirs). */
    private static Set<Flag> plus(Set<Flag> flags, Flag flag) {
        Set<Flag> more = flags == NONE ? EnumSet.noneOf(Flag.class) : flags;
        more.add(flag);
        return more;
    }

    private static List<String> mergedFlags(List<String> before, Set<Flag> flags) {
        if (flags.isEmpty()) {
            return before;
        }
        Set<String> ids = new LinkedHashSet<>(before);
        for (Flag flag : flags) {
            ids.add(flag.id());
        }
        return new ArrayList<>(ids);
    }

    private record SeriesKey(String pair, String meter, String quantity) {
    }

    /** What a series remembers of its previous reading. Guarded by its own monitor. */
    private static final class Series {
        private Instant lastTime;
        private BigDecimal lastValue;
        private BigDecimal lastCounter;
        private int sameCount;
        private Set<Flag> lastFlags = NONE;

        Set<Flag> next(Register register, ValidationRules rules, Reading reading) {
            Instant at = reading.sourceTime();
            BigDecimal value = reading.value();
            BigDecimal counter = reading.raw() != null ? reading.raw() : value;
            if (lastTime == null) {
                remember(at, value, counter, value.signum() != 0 ? 1 : 0, NONE);
                return lastFlags;
            }
            if (at.equals(lastTime)) {
                // the same reading again (a replay): the same answer; a different value at the same time is left alone
                return counter.compareTo(lastCounter) == 0 ? lastFlags : NONE;
            }
            if (at.isBefore(lastTime)) {
                return NONE; // out of order: nothing to compare with
            }
            Set<Flag> flags = NONE;
            Duration elapsed = Duration.between(lastTime, at);
            if (rules.maxGap() != null && elapsed.compareTo(rules.maxGap()) > 0) {
                flags = plus(flags, Flag.GAP);
            }
            boolean decreased = false;
            if (register.accumulation() == Accumulation.REGISTER && counter.compareTo(lastCounter) < 0) {
                decreased = true;
                flags = plus(flags, isRollover(register.modulus(), lastCounter, counter) ? Flag.ROLLOVER : Flag.RESET);
            }
            if (!decreased && rules.spikeRate() != null && rules.spikeRate().exceededBy(value.subtract(lastValue), elapsed)) {
                flags = plus(flags, Flag.SPIKE);
            }
            int same = value.signum() == 0 ? 0 : value.compareTo(lastValue) == 0 ? sameCount + 1 : 1;
            if (rules.frozenCount() > 0 && same >= rules.frozenCount()) {
                flags = plus(flags, Flag.FROZEN);
            }
            remember(at, value, counter, same, flags);
            return flags;
        }

        private void remember(Instant at, BigDecimal value, BigDecimal counter, int same, Set<Flag> flags) {
            lastTime = at;
            lastValue = value;
            lastCounter = counter;
            sameCount = same;
            lastFlags = flags;
        }

        static boolean isRollover(BigDecimal modulus, BigDecimal previous, BigDecimal now) {
            return modulus != null
                    && previous.compareTo(modulus.multiply(ROLLOVER_NEAR_TOP)) > 0
                    && now.compareTo(modulus.multiply(ROLLOVER_NEAR_ZERO)) < 0
                    && now.signum() >= 0;
        }
    }
}
