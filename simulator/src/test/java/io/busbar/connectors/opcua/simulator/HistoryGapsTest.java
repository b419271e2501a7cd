package io.busbar.connectors.opcua.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.encoding.DefaultEncodingContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.junit.jupiter.api.Test;

/** The frozen spans a historian has no values for, and how raw history reads skip them. */
class HistoryGapsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.400Z");
    private static final long NOW_MS = NOW.getEpochSecond() * 1000;
    private static final MeterSignal POWER = new MeterSignal(2, MeterSignal.Quantity.POWER);

    private final HistoryGaps gaps = new HistoryGaps();

    @Test
    void closedSpanIncludesItsStartAndExcludesItsEnd() {
        gaps.open(10_000);
        gaps.close(13_000);

        assertThat(gaps.contains(9_000)).isFalse();
        assertThat(gaps.contains(10_000)).isTrue();
        assertThat(gaps.contains(12_000)).isTrue();
        assertThat(gaps.contains(13_000)).isFalse();
    }

    @Test
    void openSpanCoversEverythingFromItsStart_andASecondOpenIsIgnored() {
        gaps.open(10_000);
        gaps.open(20_000);

        assertThat(gaps.contains(10_000)).isTrue();
        assertThat(gaps.contains(Long.MAX_VALUE - 1)).isTrue();
        gaps.close(11_000);
        assertThat(gaps.contains(11_000)).isFalse();
        assertThat(gaps.contains(20_000)).isFalse();
    }

    @Test
    void spanClosedAtOrBeforeItsStartLeavesNoGap_andCloseWithoutOpenIsIgnored() {
        gaps.close(5_000);
        gaps.open(10_000);
        gaps.close(10_000);

        assertThat(gaps.contains(10_000)).isFalse();
    }

    @Test
    void historySkipsTheGapForwardAndBackwardAndAcrossPages() {
        MeterHistory history = new MeterHistory(Clock.fixed(NOW, ZoneOffset.UTC), NOW.minusSeconds(60), 1000, gaps);
        gaps.open(NOW_MS - 7_000);
        gaps.close(NOW_MS - 4_000);

        List<Long> forward = seconds(history, NOW_MS - 10_000, NOW_MS, 2);
        List<Long> backward = seconds(history, NOW_MS, NOW_MS - 10_000, 0);

        long now = NOW.getEpochSecond();
        assertThat(forward).containsExactly(now - 10, now - 9, now - 8, now - 4, now - 3, now - 2, now - 1);
        assertThat(backward).containsExactly(now, now - 1, now - 2, now - 3, now - 4, now - 8, now - 9);
    }

    @Test
    void openGapEndsHistoryAtItsStart() {
        MeterHistory history = new MeterHistory(Clock.fixed(NOW, ZoneOffset.UTC), NOW.minusSeconds(60), 1000, gaps);
        gaps.open(NOW_MS - 2_000);

        long now = NOW.getEpochSecond();
        assertThat(seconds(history, NOW_MS - 5_000, NOW_MS + 5_000, 0)).containsExactly(now - 5, now - 4, now - 3);
    }

    /** Reads [from, to) (or backwards) page by page and returns the source seconds. */
    private static List<Long> seconds(MeterHistory history, long fromMs, long toMs, int pageSize) {
        ReadRawModifiedDetails details = new ReadRawModifiedDetails(false, new DateTime(Instant.ofEpochMilli(fromMs)),
                new DateTime(Instant.ofEpochMilli(toMs)), uint(pageSize), false);
        List<Long> seconds = new ArrayList<>();
        ByteString continuationPoint = ByteString.NULL_VALUE;
        do {
            HistoryReadResult page = history.readRaw(POWER, details, continuationPoint, TimestampsToReturn.Source,
                    DefaultEncodingContext.INSTANCE);
            HistoryData data = (HistoryData) page.getHistoryData().decode(DefaultEncodingContext.INSTANCE);
            for (DataValue value : data.getDataValues()) {
                seconds.add(value.sourceTime().getJavaInstant().getEpochSecond());
            }
            continuationPoint = page.getContinuationPoint();
        } while (continuationPoint != null && continuationPoint.isNotNull());
        return seconds;
    }
}
