package io.busbar.redundancy;

import java.time.Duration;
import java.util.Objects;

/**
 * How one source pair chooses between its servers; see {@link PairSelector} for the rules.
 *
 * @param mode      how the standby is used (hot, warm, cold); the OPC UA source acts on it
 * @param criteria  what a server must show to be healthy
 * @param preferred the server chosen when both are healthy and nothing is active, and the target of
 *                  failback
 * @param failback  whether to return to the preferred server on its own
 * @param minDwell  the shortest time between two switchovers, unless the active server is gone
 *                  (disconnected, ServiceLevel 0 or 1); zero or positive
 */
public record RedundancyPolicy(
        RedundancyMode mode,
        HealthCriteria criteria,
        Preferred preferred,
        Failback failback,
        Duration minDwell) {

    /** Both servers sampling: the fastest switch, and the standby's health known before it is needed. */
    public static final RedundancyMode DEFAULT_MODE = RedundancyMode.HOT;

    /** The primary is the server the SCADA pair itself treats as the normal one. */
    public static final Preferred DEFAULT_PREFERRED = Preferred.PRIMARY;

    /** Part 4 expects clients not to switch back by themselves; each switch costs an overlap to dedupe. */
    public static final Failback DEFAULT_FAILBACK = new Failback.Sticky();

    /**
     * Five seconds: several ServiceLevel updates and publishing intervals, so a level that wobbles
     * around the threshold while a server settles costs at most one switch per 5 s, yet short enough
     * that a degraded (still connected) active is left quickly. A dead one is left at once anyway.
     */
    public static final Duration DEFAULT_MIN_DWELL = Duration.ofSeconds(5);

    public RedundancyPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(criteria, "criteria");
        Objects.requireNonNull(preferred, "preferred");
        Objects.requireNonNull(failback, "failback");
        Objects.requireNonNull(minDwell, "minDwell");
        if (minDwell.isNegative()) {
            throw new IllegalArgumentException("minDwell must not be negative, was " + minDwell);
        }
    }

    /** HOT, ServiceLevel ≥ 200, primary preferred, sticky, 5 s minimum dwell. */
    public static RedundancyPolicy defaults() {
        return new RedundancyPolicy(DEFAULT_MODE, HealthCriteria.defaults(), DEFAULT_PREFERRED, DEFAULT_FAILBACK,
                DEFAULT_MIN_DWELL);
    }

    public RedundancyPolicy withMode(RedundancyMode newMode) {
        return new RedundancyPolicy(newMode, criteria, preferred, failback, minDwell);
    }

    public RedundancyPolicy withCriteria(HealthCriteria newCriteria) {
        return new RedundancyPolicy(mode, newCriteria, preferred, failback, minDwell);
    }

    public RedundancyPolicy withPreferred(Preferred newPreferred) {
        return new RedundancyPolicy(mode, criteria, newPreferred, failback, minDwell);
    }

    public RedundancyPolicy withFailback(Failback newFailback) {
        return new RedundancyPolicy(mode, criteria, preferred, newFailback, minDwell);
    }

    public RedundancyPolicy withMinDwell(Duration newMinDwell) {
        return new RedundancyPolicy(mode, criteria, preferred, failback, newMinDwell);
    }
}
