package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.XmlElement;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;

/**
 * Converts Milo's {@link DataValue} to the library-free {@link RawSample} the mapping works on, so
 * no Milo type leaves the connector.
 */
final class DataValues {

    private DataValues() {}

    static RawSample toRawSample(String nodeId, DataValue value) {
        return new RawSample(
                nodeId,
                toJava(value.value().value()),
                toInstant(value.sourceTime()),
                toInstant(value.serverTime()),
                value.statusCode() == null ? StatusCode.GOOD.value() : value.statusCode().value());
    }

    /** OPC UA's epoch (1601-01-01) to the Java epoch, in OPC UA's ticks of 100 ns. */
    private static final long UTC_TO_JAVA_TICKS = 116_444_736_000_000_000L;

    /**
     * Adds a value to a batch in columns without making a {@link RawSample} or an {@link Instant}
     * of it (see {@link SampleColumns}); the times are the ones {@link DateTime#getJavaInstant()} gives.
     */
    static void add(SampleColumns.Builder batch, String nodeId, DataValue value) {
        add(batch, nodeId, SampleColumns.NO_SLOT, value);
    }

    /** @param slot where the node stands in the list its subscription was made for ({@link SampleColumns#slot}) */
    static void add(SampleColumns.Builder batch, String nodeId, int slot, DataValue value) {
        DateTime source = value.sourceTime();
        DateTime server = value.serverTime();
        Object javaValue = toJava(value.value().value());
        long status = value.statusCode() == null ? StatusCode.GOOD.value() : value.statusCode().value();
        long sourceNanos = nanos(source);
        long serverNanos = nanos(server);
        if (sourceNanos == Long.MIN_VALUE || serverNanos == Long.MIN_VALUE) { // beyond 1678-2261
            batch.add(nodeId, slot, javaValue, toInstant(source), toInstant(server), status);
        } else {
            batch.add(nodeId, slot, javaValue, isSet(source), sourceNanos, isSet(server), serverNanos, status);
        }
    }

    private static boolean isSet(DateTime time) {
        return time != null && !time.isNull();
    }

    /** As {@link DateTime#getJavaInstant()} computes it, in nanoseconds; 0 when not set. */
    private static long nanos(DateTime time) {
        if (!isSet(time)) {
            return 0;
        }
        long utc = time.getUtcTime();
        long seconds = (utc - UTC_TO_JAVA_TICKS) / 10_000 / 1_000;
        return SampleColumns.nanos(seconds, utc % 10_000_000L * 100);
    }

    /**
     * The plain Java form of a variant value. Signed numbers, Boolean and String stay as they are;
     * unsigned ones become {@code Long}, or {@code BigInteger} for UInt64 which may not fit; text-like
     * OPC UA types become String; arrays become lists. Anything else is passed through unchanged.
     */
    static Object toJava(Object value) {
        if (value instanceof ULong unsigned64) {
            return unsigned64.toBigInteger();
        } else if (value instanceof UNumber unsigned) {
            return unsigned.longValue();
        } else if (value instanceof DateTime time) {
            return toInstant(time);
        } else if (value instanceof StatusCode status) {
            return status.value();
        } else if (value instanceof LocalizedText text) {
            return text.text();
        } else if (value instanceof QualifiedName name) {
            return name.toParseableString();
        } else if (value instanceof NodeId nodeId) {
            return nodeId.toParseableString();
        } else if (value instanceof ExpandedNodeId nodeId) {
            return nodeId.toParseableString();
        } else if (value instanceof XmlElement xml) {
            return xml.fragment();
        } else if (value instanceof ByteString bytes) {
            return bytes.bytes();
        } else if (value instanceof Object[] array) {
            List<Object> list = new ArrayList<>(array.length);
            for (Object element : array) {
                list.add(toJava(element));
            }
            return list;
        }
        return value;
    }

    private static Instant toInstant(DateTime time) {
        return time == null || time.isNull() ? null : time.getJavaInstant();
    }
}
