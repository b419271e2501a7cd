package io.busbar.mappings.validation;

import io.busbar.mappings.model.Accumulation;
import java.time.Duration;
import java.util.Objects;

/**
 * The validation rules in force for one register, after the mapping file's top-level
 * {@code validation:} block and the register's own block were applied over the defaults.
 * A null duration or rate, or a frozen count of 0, means the rule is off.
 *
 * @param badQuality      what becomes of a reading with Bad quality
 * @param futureTolerance how far the source time may be ahead of now before {@code future-time}; null = off
 * @param staleAfter      how old the source time may be before {@code stale-time}; null = off
 * @param maxGap          the longest plausible time between two readings of the series before {@code gap}; null = off
 * @param spikeRate       the fastest plausible change before {@code spike}; null = off
 * @param frozenCount     how many equal non-zero values in a row make {@code frozen}; 0 = off
 */
public record ValidationRules(
        BadQualityPolicy badQuality,
        Duration futureTolerance,
        Duration staleAfter,
        Duration maxGap,
        RateLimit spikeRate,
        int frozenCount) {

    /** A Bad reading is still delivered, flagged: nothing is dropped unless the mapping says so. */
    public static final BadQualityPolicy DEFAULT_BAD_QUALITY = BadQualityPolicy.PASS_FLAGGED;
    public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofMinutes(5);
    /** Off: history backfill after a failover legitimately delivers old readings. */
    public static final Duration DEFAULT_STALE_AFTER = null;
    /** Off: servers that report on change only send nothing while a value stands still. */
    public static final Duration DEFAULT_MAX_GAP = null;
    /** Off: a plausible rate depends on the meter. */
    public static final RateLimit DEFAULT_SPIKE_RATE = null;
    /** For registers and interval values; instantaneous values are not checked unless their register says so. */
    public static final int DEFAULT_FROZEN_COUNT = 10;
    public static final int FROZEN_OFF = 0;

    public ValidationRules {
        Objects.requireNonNull(badQuality, "badQuality");
        if (frozenCount < 0) {
            throw new IllegalArgumentException("frozenCount must not be negative");
        }
    }

    /** The rules of a register that the mapping file gives no {@code validation:} settings for. */
    public static ValidationRules defaultsFor(Accumulation accumulation) {
        return ValidationSettings.NONE.resolve(ValidationSettings.NONE, accumulation);
    }
}
