package io.busbar.connectors.opcua.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.encoding.DefaultEncodingContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.junit.jupiter.api.Test;

class MeterHistoryTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.400Z");
    private static final long NOW_SECOND = NOW.getEpochSecond();
    private static final MeterSignal ENERGY = new MeterSignal(4, MeterSignal.Quantity.ENERGY);

    private final MeterHistory history =
            new MeterHistory(Clock.fixed(NOW, ZoneOffset.UTC), NOW.minusSeconds(60));

    @Test
    void forwardReadIncludesStartExcludesEndAndMatchesTheFunction() {
        List<DataValue> values = readAll(NOW_SECOND - 10, NOW_SECOND - 5, 0);

        assertThat(seconds(values)).containsExactly(
                NOW_SECOND - 10, NOW_SECOND - 9, NOW_SECOND - 8, NOW_SECOND - 7, NOW_SECOND - 6);
        for (DataValue value : values) {
            long second = value.sourceTime().getJavaInstant().getEpochSecond();
            assertThat(value.value().value()).isEqualTo(SimulatedScadaServer.energyWh(4, second));
        }
    }

    @Test
    void endBeforeStartReadsBackwards() {
        assertThat(seconds(readAll(NOW_SECOND - 5, NOW_SECOND - 8, 0)))
                .containsExactly(NOW_SECOND - 5, NOW_SECOND - 6, NOW_SECOND - 7);
    }

    @Test
    void numValuesPerNodePagesWithContinuationPoints() {
        ReadRawModifiedDetails details = details(NOW_SECOND - 10, NOW_SECOND - 5, 2);
        List<Integer> pageSizes = new ArrayList<>();
        List<DataValue> all = new ArrayList<>();
        ByteString continuationPoint = ByteString.NULL_VALUE;
        do {
            HistoryReadResult page = read(details, continuationPoint);
            List<DataValue> values = values(page);
            pageSizes.add(values.size());
            all.addAll(values);
            continuationPoint = page.getContinuationPoint();
        } while (continuationPoint != null);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seconds(all)).containsExactlyElementsOf(seconds(readAll(NOW_SECOND - 10, NOW_SECOND - 5, 0)));
    }

    @Test
    void onlySecondsFromTheHistoryStartUpToNowHaveValues() {
        List<Long> seconds = seconds(readAll(NOW_SECOND - 3600, NOW_SECOND + 3600, 0));

        assertThat(seconds).hasSize(61).startsWith(NOW_SECOND - 60).endsWith(NOW_SECOND);
    }

    @Test
    void timeDomainOutsideTheRetentionIsGoodNoData() {
        HistoryReadResult result = read(details(NOW_SECOND - 7200, NOW_SECOND - 3600, 0), ByteString.NULL_VALUE);

        assertThat(result.getStatusCode().value()).isEqualTo(StatusCodes.Good_NoData);
        assertThat(values(result)).isEmpty();
    }

    @Test
    void readModifiedIsNotSupported() {
        ReadRawModifiedDetails modified = new ReadRawModifiedDetails(true,
                new DateTime(Instant.ofEpochSecond(NOW_SECOND - 10)), new DateTime(NOW), uint(0), false);

        assertThat(read(modified, ByteString.NULL_VALUE).getStatusCode().value())
                .isEqualTo(StatusCodes.Bad_HistoryOperationUnsupported);
    }

    private List<DataValue> readAll(long startSecond, long endSecond, int limit) {
        return values(read(details(startSecond, endSecond, limit), ByteString.NULL_VALUE));
    }

    private HistoryReadResult read(ReadRawModifiedDetails details, ByteString continuationPoint) {
        return history.readRaw(ENERGY, details, continuationPoint, TimestampsToReturn.Both, DefaultEncodingContext.INSTANCE);
    }

    private static ReadRawModifiedDetails details(long startSecond, long endSecond, int limit) {
        return new ReadRawModifiedDetails(false, new DateTime(Instant.ofEpochSecond(startSecond)),
                new DateTime(Instant.ofEpochSecond(endSecond)), uint(limit), false);
    }

    private static List<DataValue> values(HistoryReadResult result) {
        HistoryData data = (HistoryData) result.getHistoryData().decode(DefaultEncodingContext.INSTANCE);
        return data.getDataValues() == null ? List.of() : List.of(data.getDataValues());
    }

    private static List<Long> seconds(List<DataValue> values) {
        return values.stream().map(value -> value.sourceTime().getJavaInstant().getEpochSecond()).toList();
    }
}
