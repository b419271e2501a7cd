package io.busbar.connectors.opcua.simulator;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.encoding.EncodingContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;

/**
 * Answers a raw HistoryRead for one simulated variable by recomputing its value for every update
 * slot (every whole second by default, see {@link SimulatedScadaServer.Builder#updateInterval}) of
 * the requested time domain: the simulator needs no storage because its values are a pure function
 * of the slot.
 *
 * <p>Follows OPC UA Part 11: the time domain includes {@code startTime} and excludes {@code
 * endTime}; when {@code endTime} is before {@code startTime} time runs backwards; an unspecified
 * (minimum) bound reads {@code numValuesPerNode} values from the other bound. Only slots inside
 * the retention window, from the history start up to now, have values, and of those only the slots
 * outside the {@link HistoryGaps} (the time the server was frozen: a real historian records nothing
 * new then). More values than {@code numValuesPerNode} are paged with a continuation point that
 * carries the next slot to look at, so the server keeps no per-client state.
 */
final class MeterHistory {

    private static final int CONTINUATION_POINT_BYTES = Long.BYTES;

    private final Clock clock;
    /** The length of one update slot in milliseconds; slot n starts at n × this. */
    private final long slotMillis;
    private final long firstSlot;
    private final HistoryGaps gaps;

    /**
     * @param clock the server's clock; "now" bounds the retention window
     * @param historyStart the first instant the server has history for
     */
    MeterHistory(Clock clock, Instant historyStart) {
        this(clock, historyStart, 1000);
    }

    /**
     * @param slotMillis the server's update interval in milliseconds: one value per slot
     */
    MeterHistory(Clock clock, Instant historyStart, long slotMillis) {
        this(clock, historyStart, slotMillis, new HistoryGaps());
    }

    /**
     * @param gaps the spans with no values (the server was frozen); read at every request, so spans
     *     added later are honoured
     */
    MeterHistory(Clock clock, Instant historyStart, long slotMillis, HistoryGaps gaps) {
        if (slotMillis < 1) {
            throw new IllegalArgumentException("slotMillis must be positive, was " + slotMillis);
        }
        this.clock = clock;
        this.slotMillis = slotMillis;
        this.firstSlot = Math.floorDiv(historyStart.toEpochMilli(), slotMillis);
        this.gaps = gaps;
    }

    HistoryReadResult readRaw(
            MeterSignal signal,
            ReadRawModifiedDetails details,
            ByteString continuationPoint,
            TimestampsToReturn timestamps,
            EncodingContext encodingContext) {

        if (Boolean.TRUE.equals(details.getIsReadModified())) {
            return failure(StatusCodes.Bad_HistoryOperationUnsupported);
        }
        boolean hasStart = isSpecified(details.getStartTime());
        boolean hasEnd = isSpecified(details.getEndTime());
        long limit = details.getNumValuesPerNode() == null ? 0 : details.getNumValuesPerNode().longValue();
        if (!hasStart && !hasEnd || (!hasStart || !hasEnd) && limit == 0) {
            return failure(StatusCodes.Bad_InvalidArgument);
        }

        Range range = hasStart && hasEnd
                ? Range.between(details.getStartTime().getJavaInstant(), details.getEndTime().getJavaInstant(), slotMillis)
                : hasStart
                        ? Range.forwardFrom(details.getStartTime().getJavaInstant(), slotMillis)
                        : Range.backwardFrom(details.getEndTime().getJavaInstant(), slotMillis);
        range = range.clampedTo(firstSlot, Math.floorDiv(clock.millis(), slotMillis));

        if (continuationPoint != null && !continuationPoint.isNullOrEmpty()) {
            if (continuationPoint.length() != CONTINUATION_POINT_BYTES) {
                return failure(StatusCodes.Bad_ContinuationPointInvalid);
            }
            long resumeAt = ByteBuffer.wrap(continuationPoint.bytesOrEmpty()).getLong();
            if (!range.contains(resumeAt)) {
                return failure(StatusCodes.Bad_ContinuationPointInvalid);
            }
            range = range.resumingAt(resumeAt);
        }

        long pageSize = limit == 0 ? Long.MAX_VALUE : limit;
        List<DataValue> values = new ArrayList<>();
        long slot = range.first;
        while (range.contains(slot) && values.size() < pageSize) {
            if (!gaps.contains(slot * slotMillis)) {
                values.add(valueAt(signal, slot * slotMillis, timestamps));
            }
            slot += range.step;
        }

        ByteString next = range.contains(slot)
                ? ByteString.of(ByteBuffer.allocate(CONTINUATION_POINT_BYTES).putLong(slot).array())
                : null;
        StatusCode status = values.isEmpty() ? new StatusCode(StatusCodes.Good_NoData) : StatusCode.GOOD;
        ExtensionObject data =
                ExtensionObject.encode(encodingContext, new HistoryData(values.toArray(DataValue[]::new)));
        return new HistoryReadResult(status, next, data);
    }

    private static DataValue valueAt(MeterSignal signal, long epochMilli, TimestampsToReturn timestamps) {
        DateTime time = new DateTime(Instant.ofEpochMilli(epochMilli));
        boolean source = timestamps == TimestampsToReturn.Source || timestamps == TimestampsToReturn.Both;
        boolean server = timestamps == TimestampsToReturn.Server || timestamps == TimestampsToReturn.Both;
        return new DataValue(
                new Variant(signal.valueAtMillis(epochMilli)), StatusCode.GOOD, source ? time : null, server ? time : null);
    }

    static HistoryReadResult failure(long statusCode) {
        return new HistoryReadResult(new StatusCode(statusCode), null, null);
    }

    private static boolean isSpecified(DateTime time) {
        return time != null && !time.isNull();
    }

    /**
     * The slots to return (slot n starts at n × the slot length), walked from {@code first} towards
     * {@code last} (inclusive) in steps of +1 or -1.
     */
    private record Range(long first, long last, long step) {

        private static final long UNBOUNDED = Long.MAX_VALUE / 2;

        static Range between(Instant start, Instant end, long slotMillis) {
            if (start.equals(end)) {
                // Part 11: equal bounds ask for the value at exactly that time, if there is one
                long slot = floorSlot(start, slotMillis);
                return isSlotStart(start, slotMillis) ? new Range(slot, slot, 1) : new Range(slot + 1, slot, 1);
            }
            return start.isBefore(end)
                    ? new Range(ceilSlot(start, slotMillis), ceilSlot(end, slotMillis) - 1, 1)
                    : new Range(floorSlot(start, slotMillis), floorSlot(end, slotMillis) + 1, -1);
        }

        static Range forwardFrom(Instant start, long slotMillis) {
            return new Range(ceilSlot(start, slotMillis), UNBOUNDED, 1);
        }

        static Range backwardFrom(Instant end, long slotMillis) {
            return new Range(ceilSlot(end, slotMillis) - 1, -UNBOUNDED, -1);
        }

        Range clampedTo(long oldest, long newest) {
            return step > 0
                    ? new Range(Math.max(first, oldest), Math.min(last, newest), step)
                    : new Range(Math.min(first, newest), Math.max(last, oldest), step);
        }

        Range resumingAt(long slot) {
            return new Range(slot, last, step);
        }

        boolean contains(long slot) {
            return step > 0 ? slot >= first && slot <= last : slot <= first && slot >= last;
        }

        private static long floorSlot(Instant instant, long slotMillis) {
            return Math.floorDiv(instant.toEpochMilli(), slotMillis);
        }

        private static boolean isSlotStart(Instant instant, long slotMillis) {
            return instant.getNano() % 1_000_000 == 0 && Math.floorMod(instant.toEpochMilli(), slotMillis) == 0;
        }

        private static long ceilSlot(Instant instant, long slotMillis) {
            long slot = floorSlot(instant, slotMillis);
            return isSlotStart(instant, slotMillis) ? slot : slot + 1;
        }
    }
}
