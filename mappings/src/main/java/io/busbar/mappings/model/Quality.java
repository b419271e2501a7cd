package io.busbar.mappings.model;

/**
 * OPC UA status severity, taken from bits 31–30 of the StatusCode (Part 4, 7.39):
 * 00 Good, 01 Uncertain, 10 and 11 Bad.
 */
public enum Quality {
    GOOD,
    UNCERTAIN,
    BAD;

    public static Quality ofStatusCode(long statusCode) {
        long severity = (statusCode >>> 30) & 0b11;
        if (severity == 0) {
            return GOOD;
        }
        return severity == 1 ? UNCERTAIN : BAD;
    }
}
