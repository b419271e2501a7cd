package io.busbar.connectors.opcua.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Clock;
import java.time.Duration;
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

/** Sub-second update slots (the bench's load servers): values, history and builder checks. */
class UpdateIntervalTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.450Z");

    @Test
    void valuesBetweenSecondsContinueTheFunctionAndMatchItAtWholeSeconds() {
        long second = NOW.getEpochSecond();
        for (int meter : new int[] {1, 7, 4_999}) {
            assertThat(SimulatedScadaServer.valueAtMillis(meter, true, second * 1000))
                    .isEqualTo(SimulatedScadaServer.energyWh(meter, second));
            assertThat(SimulatedScadaServer.valueAtMillis(meter, false, second * 1000))
                    .isEqualTo(SimulatedScadaServer.powerKw(meter, second));
            double previous = -1;
            for (long millis = second * 1000; millis <= (second + 5) * 1000; millis += 100) {
                double energy = SimulatedScadaServer.valueAtMillis(meter, true, millis);
                assertThat(energy).isGreaterThanOrEqualTo(previous);
                previous = energy;
            }
        }
    }

    @Test
    void historyHasOneValuePerSlotWithTheSlotStartAsSourceTime() {
        MeterHistory history = new MeterHistory(Clock.fixed(NOW, ZoneOffset.UTC), NOW.minusSeconds(60), 100);
        MeterSignal power = new MeterSignal(3, MeterSignal.Quantity.POWER);
        Instant start = Instant.parse("2026-11-22T09:59:59.050Z");
        ReadRawModifiedDetails details = new ReadRawModifiedDetails(false, new DateTime(start),
                new DateTime(start.plusMillis(1000)), uint(4), false);

        List<DataValue> all = new ArrayList<>();
        ByteString continuationPoint = ByteString.NULL_VALUE;
        do {
            HistoryReadResult page = history.readRaw(power, details, continuationPoint, TimestampsToReturn.Both,
                    DefaultEncodingContext.INSTANCE);
            HistoryData data = (HistoryData) page.getHistoryData().decode(DefaultEncodingContext.INSTANCE);
            all.addAll(List.of(data.getDataValues()));
            continuationPoint = page.getContinuationPoint();
        } while (continuationPoint != null && continuationPoint.isNotNull());

        assertThat(all).hasSize(10);
        for (int i = 0; i < all.size(); i++) {
            Instant sourceTime = all.get(i).sourceTime().getJavaInstant();
            assertThat(sourceTime).isEqualTo(Instant.parse("2026-11-22T09:59:59.100Z").plusMillis(100L * i));
            assertThat(all.get(i).value().value())
                    .isEqualTo(SimulatedScadaServer.valueAtMillis(3, false, sourceTime.toEpochMilli()));
        }
    }

    @Test
    void historyEndsAtTheCurrentSlot() {
        MeterHistory history = new MeterHistory(Clock.fixed(NOW, ZoneOffset.UTC), NOW.minusSeconds(60), 100);
        ReadRawModifiedDetails details = new ReadRawModifiedDetails(false, new DateTime(NOW.minusSeconds(1)),
                new DateTime(NOW.plusSeconds(10)), uint(0), false);
        HistoryReadResult result = history.readRaw(new MeterSignal(1, MeterSignal.Quantity.ENERGY), details,
                ByteString.NULL_VALUE, TimestampsToReturn.Source, DefaultEncodingContext.INSTANCE);
        DataValue[] values = ((HistoryData) result.getHistoryData().decode(DefaultEncodingContext.INSTANCE)).getDataValues();

        assertThat(values[values.length - 1].sourceTime().getJavaInstant()).isEqualTo(Instant.parse("2026-11-22T10:00:00.400Z"));
        assertThat(values).hasSize(10);
    }

    @Test
    void updateIntervalMustBeWholeMillisecondsUpToAnHour() {
        assertThat(SimulatedScadaServer.builder().build().updateInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(SimulatedScadaServer.builder().updateInterval(Duration.ofMillis(100)).build().updateInterval())
                .isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> SimulatedScadaServer.builder().updateInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatedScadaServer.builder().updateInterval(Duration.ofNanos(1_500_000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatedScadaServer.builder().updateInterval(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
