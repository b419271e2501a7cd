package io.busbar.mappings.validation;

import java.util.Locale;

/** What becomes of a reading whose OPC UA quality is Bad. Either way it is flagged {@code bad-quality}. */
public enum BadQualityPolicy {
    /** Goes to the dead-letter queue with the reason; targets never see it. */
    DEAD_LETTER,
    /** Goes to the targets like any other, flagged and QUESTIONABLE. */
    PASS_FLAGGED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static BadQualityPolicy fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
