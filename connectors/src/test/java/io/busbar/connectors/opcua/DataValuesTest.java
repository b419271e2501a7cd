package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.junit.jupiter.api.Test;

class DataValuesTest {

    private static final Instant SOURCE = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant SERVER = Instant.parse("2026-11-22T10:00:00.250Z");

    @Test
    void sampleCarriesValueBothTimestampsAndTheStatusCode() {
        DataValue value = new DataValue(new Variant(42.5), new StatusCode(StatusCodes.Uncertain_LastUsableValue),
                new DateTime(SOURCE), new DateTime(SERVER));

        RawSample sample = DataValues.toRawSample("ns=2;s=X", value);

        assertThat(sample).isEqualTo(
                new RawSample("ns=2;s=X", 42.5, SOURCE, SERVER, StatusCodes.Uncertain_LastUsableValue));
    }

    @Test
    void aPublishInColumns_readsTheSameSamplesAsOneByOne_atAnyTimeAServerMaySend() {
        long[] utcTimes = {
            0L,                                   // not set
            1L,                                   // 1601, the OPC UA minimum
            new DateTime(SOURCE).getUtcTime() + 3, // 300 ns past a second
            new DateTime(Instant.parse("1969-12-31T23:59:59.9999999Z")).getUtcTime(),
            new DateTime(Instant.parse("1700-01-01T00:00:00Z")).getUtcTime(),
            new DateTime(Instant.parse("2300-01-01T00:00:00Z")).getUtcTime(), // beyond what nanoseconds count
            Long.MAX_VALUE,
            -5L};
        SampleColumns.Builder columns = SampleColumns.builder(2);
        List<RawSample> oneByOne = new ArrayList<>();
        for (int i = 0; i < utcTimes.length; i++) {
            for (long server : new long[] {utcTimes[i], utcTimes[(i + 1) % utcTimes.length]}) {
                Object value = i % 3 == 0 ? (Object) i : (Object) (i * 1.5);
                DataValue dataValue = new DataValue(new Variant(value), StatusCode.GOOD, new DateTime(utcTimes[i]),
                        new DateTime(server));
                DataValues.add(columns, "n" + i, dataValue);
                oneByOne.add(DataValues.toRawSample("n" + i, dataValue));
            }
        }
        assertThat(columns.build()).isEqualTo(oneByOne);
    }

    @Test
    void missingTimestampsAndValuesBecomeNull() {
        DataValue value = new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_NoCommunication), null, null);

        RawSample sample = DataValues.toRawSample("ns=2;s=X", value);

        assertThat(sample.value()).isNull();
        assertThat(sample.sourceTime()).isNull();
        assertThat(sample.serverTime()).isNull();
        assertThat(sample.statusCode()).isEqualTo(StatusCodes.Bad_NoCommunication);
    }

    @Test
    void unsignedNumbersBecomeLongOrBigInteger() {
        assertThat(DataValues.toJava(ubyte(200))).isEqualTo(200L);
        assertThat(DataValues.toJava(uint(4_000_000_000L))).isEqualTo(4_000_000_000L);
        assertThat(DataValues.toJava(ulong(new BigInteger("18446744073709551615"))))
                .isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void signedNumbersBooleansAndStringsStayAsTheyAre() {
        assertThat(DataValues.toJava(7)).isEqualTo(7);
        assertThat(DataValues.toJava((short) 7)).isEqualTo((short) 7);
        assertThat(DataValues.toJava(1.5f)).isEqualTo(1.5f);
        assertThat(DataValues.toJava(true)).isEqualTo(true);
        assertThat(DataValues.toJava("on")).isEqualTo("on");
    }

    @Test
    void opcUaTypesBecomePlainJava() {
        assertThat(DataValues.toJava(new DateTime(SOURCE))).isEqualTo(SOURCE);
        assertThat(DataValues.toJava(LocalizedText.english("Feeder 1"))).isEqualTo("Feeder 1");
        assertThat(DataValues.toJava(new UInteger[] {uint(1), uint(2)})).isEqualTo(List.of(1L, 2L));
    }
}
