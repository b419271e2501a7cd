package io.busbar.mappings.model;

/**
 * The validation (VEE) status of a reading, apart from its OPC UA {@link Quality}. A reading leaves
 * {@link Mapping#map} as {@link #RAW}; the {@code Validator} makes it {@link #VALID} (no rule fired)
 * or {@link #QUESTIONABLE} (see its flags). {@link #ESTIMATED} and {@link #EDITED} are for values a
 * later step made up or corrected; the original is always kept alongside.
 */
public enum ValidationStatus {
    VALID,
    QUESTIONABLE,
    ESTIMATED,
    EDITED,
    RAW
}
