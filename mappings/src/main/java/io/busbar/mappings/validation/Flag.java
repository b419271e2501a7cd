package io.busbar.mappings.validation;

/** The validation rules that can flag a reading; {@link #id()} is what a reading's {@code flags} list carries. */
public enum Flag {
    /** OPC UA status severity Bad (bits 31–30 = 1x). */
    BAD_QUALITY("bad-quality"),
    /** OPC UA status severity Uncertain (bits 31–30 = 01). */
    UNCERTAIN_QUALITY("uncertain-quality"),
    /** Source time later than now plus the tolerance (a meter or server clock ahead). */
    FUTURE_TIME("future-time"),
    /** Source time older than the configured limit. */
    STALE_TIME("stale-time"),
    /** The series went longer than the configured interval without a reading; set on the reading after the gap. */
    GAP("gap"),
    /** A register went down from near its modulus to near zero: it wrapped; the value is kept as read. */
    ROLLOVER("rollover"),
    /** A register went down otherwise: a reset or a meter swap. */
    RESET("reset"),
    /** The value changed faster than the configured rate. */
    SPIKE("spike"),
    /** The same non-zero value came the configured number of times in a row. */
    FROZEN("frozen");

    private final String id;

    Flag(String id) {
        this.id = id;
    }

    /** The rule id, e.g. {@code rollover}. */
    public String id() {
        return id;
    }
}
