package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
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
        return toRawSample(nodeId, value, new Times());
    }

    /**
     * @param times the conversions of this publish response so far: the values of one response
     *              mostly share their source and server times, and a held sample then costs one
     *              shared {@link Instant} instead of two of its own (bench: a million Instants were
     *              most of the heap when ingest fell behind)
     */
    static RawSample toRawSample(String nodeId, DataValue value, Times times) {
        return new RawSample(
                nodeId,
                toJava(value.value().value()),
                times.source(value.sourceTime()),
                times.server(value.serverTime()),
                value.statusCode() == null ? StatusCode.GOOD.value() : value.statusCode().value());
    }

    /**
     * Converts OPC UA times to Instants, reusing the Instant of the last source time and of the last
     * server time converted when the next one is the same.
     */
    static final class Times {

        private final LastInstant source = new LastInstant();
        private final LastInstant server = new LastInstant();

        Instant source(DateTime time) {
            return source.of(time);
        }

        Instant server(DateTime time) {
            return server.of(time);
        }
    }

    private static final class LastInstant {

        private long utcTime;
        private Instant instant;

        Instant of(DateTime time) {
            if (time == null || time.isNull()) {
                return null;
            }
            if (instant == null || time.getUtcTime() != utcTime) {
                utcTime = time.getUtcTime();
                instant = time.getJavaInstant();
            }
            return instant;
        }
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
