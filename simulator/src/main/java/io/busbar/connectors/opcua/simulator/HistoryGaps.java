package io.busbar.connectors.opcua.simulator;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The spans of time a simulated server's historian recorded nothing for: while the server was
 * frozen, a real SCADA historian sees no new values and so stores none. The server keeps one
 * instance for its whole life, so gaps survive restarts like a historian's archive does.
 *
 * <p>Times are epoch milliseconds of update-slot starts; a span includes its start and excludes its
 * end. At most one span is open (its end unknown yet) at a time: the one of the current freeze.
 */
final class HistoryGaps {

    private static final long OPEN = Long.MAX_VALUE;

    /** Span start → span end (exclusive), {@link #OPEN} for the span still growing. */
    private final NavigableMap<Long, Long> spans = new TreeMap<>();
    private Long openStart;

    /** Starts a span at {@code fromMilli}; ignored while a span is open. */
    synchronized void open(long fromMilli) {
        if (openStart == null) {
            openStart = fromMilli;
            spans.merge(fromMilli, OPEN, Math::max);
        }
    }

    /** Ends the open span before {@code toMilli}; a span that would end at or before its start is dropped. */
    synchronized void close(long toMilli) {
        if (openStart == null) {
            return;
        }
        if (toMilli <= openStart) {
            spans.remove(openStart);
        } else {
            spans.put(openStart, toMilli);
        }
        openStart = null;
    }

    /** Whether the slot starting at {@code slotStartMilli} falls into a gap. */
    synchronized boolean contains(long slotStartMilli) {
        Map.Entry<Long, Long> span = spans.floorEntry(slotStartMilli);
        return span != null && slotStartMilli < span.getValue();
    }
}
