package io.busbar.mappings.accounting;

import java.util.Locale;

/**
 * How a register value missing at an interval boundary is made up, chosen per meter. An estimate is
 * always flagged with its method and replaced as soon as the real value arrives.
 */
public enum EstimationMethod {
    /** Straight line between the readings on either side of the gap (needs both). */
    LINEAR,
    /**
     * The gap's consumption (known from the readings on either side) spread in proportion to what the
     * other meters of the meter's first group consumed in each interval; linear when they consumed nothing.
     */
    GROUP_PROFILE,
    /** The last reading before the gap holds until the next: nothing consumed in the gap, all of it after. */
    LAST_VALUE,
    /** Not estimated: intervals without a value at both ends are left out. */
    NONE;

    /** {@code group-profile}, as mapping files and flags write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException for a name that is not one of ours */
    public static EstimationMethod fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
