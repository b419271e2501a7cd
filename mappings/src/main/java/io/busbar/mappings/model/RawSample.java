package io.busbar.mappings.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One value as a source server reported it, before mapping: the node it came from, the value in its
 * server-side Java form (Number, Boolean, String, ... or null), both timestamps and the OPC UA
 * status code. Free of any OPC UA library type so the mapping stays testable in plain Java.
 *
 * @param nodeId     the node id in OPC UA text form, e.g. {@code ns=2;s=Meter001.Energy}
 * @param value      the raw value, may be null when the status is Bad
 * @param sourceTime when the value was measured; may be null when the server did not say
 * @param serverTime when the server saw the value; may be null
 * @param statusCode the 32-bit OPC UA status code (0 = Good)
 */
public record RawSample(String nodeId, Object value, Instant sourceTime, Instant serverTime, long statusCode) {

    public RawSample {
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
