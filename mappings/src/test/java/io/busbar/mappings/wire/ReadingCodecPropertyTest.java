package io.busbar.mappings.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class ReadingCodecPropertyTest implements WireArbitraries {

    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    @Property
    void anyValue_roundTripsExactly(@ForAll("decimals") BigDecimal value, @ForAll("decimals") BigDecimal raw) {
        Reading reading = reading(value, raw, "M1", Instant.parse("2024-03-31T00:15:00Z"));

        Reading back = ReadingCodec.fromJsonBatch(ReadingCodec.toJsonBatch(List.of(reading))).get(0);

        assertThat(back.value()).isEqualByComparingTo(value);
        assertThat(back.raw()).isEqualByComparingTo(raw);
        if (value.scale() >= 0 && raw.scale() >= 0) {
            assertThat(back).as("plain decimals come back with the same scale").isEqualTo(reading);
        }
    }

    @Property
    void value_isWrittenAsAPlainJsonNumber(@ForAll("decimals") BigDecimal value) throws Exception {
        String json = ReadingCodec.toJson(reading(value, BigDecimal.ONE, "M1", Instant.EPOCH));

        assertThat(json).contains("\"value\":" + value.toPlainString() + ",");
        assertThat(EXACT.readTree(json).get("value").decimalValue()).isEqualByComparingTo(value);
    }

    @Property
    void anyTextAndTime_roundTrip(@ForAll String meter, @ForAll("instants") Instant sourceTime) {
        Reading reading = reading(new BigDecimal("1.5"), BigDecimal.TEN, meter, sourceTime);

        assertThat(ReadingCodec.fromJson(ReadingCodec.toJson(reading))).isEqualTo(reading);
    }

    @Property(tries = 300)
    void anyFlagsAndMeterAttributes_roundTrip(
            @ForAll @Size(max = 4) List<@StringLength(max = 24) String> flags, @ForAll @Size(max = 4) List<@StringLength(max = 24) String> groups,
            @ForAll @StringLength(max = 24) String serial, @ForAll @StringLength(max = 24) String account,
            @ForAll @StringLength(max = 64) String address, @ForAll Medium medium, @ForAll Accumulation accumulation,
            @ForAll ValidationStatus status) {
        Reading plain = reading(new BigDecimal("1.5"), BigDecimal.TEN, "M1", Instant.EPOCH);
        Reading reading = new Reading(plain.key(), plain.pair(), plain.server(), plain.meter(), plain.quantity(), plain.value(),
                plain.unit(), plain.raw(), plain.sourceTime(), plain.serverTime(), plain.quality(), plain.status(),
                status, flags, serial, account, address, groups, medium, accumulation, "T3");

        assertThat(ReadingCodec.fromJsonBatch(ReadingCodec.toJsonBatch(List.of(reading)))).containsExactly(reading);
    }

    /** Pair, quantity, unit and tariff are written from cached, pre-escaped forms: any text must survive. */
    @Property(tries = 300)
    void anyRepeatedText_isValidJsonAndRoundTrips(@ForAll String pair, @ForAll String quantity, @ForAll String unit,
                                                 @ForAll String tariff) throws Exception {
        Instant at = Instant.parse("2024-03-31T00:15:00Z");
        Reading reading = new Reading(ReadingKey.of(pair, "M1", quantity, at), pair, ServerRole.PRIMARY, "M1", quantity,
                BigDecimal.ONE, unit, BigDecimal.TEN, at, null, Quality.ofStatusCode(0), 0, ValidationStatus.RAW, List.of(),
                null, null, null, List.of(), null, null, tariff);

        List<Reading> twice = List.of(reading, reading);
        assertThat(ReadingCodec.fromJsonBatch(ReadingCodec.toJsonBatch(twice))).isEqualTo(twice);
        var node = EXACT.readTree(ReadingCodec.toJson(reading));
        assertThat(node.get("pair").asText()).isEqualTo(pair);
        assertThat(node.get("quantity").asText()).isEqualTo(quantity);
        assertThat(node.get("unit").asText()).isEqualTo(unit);
        assertThat(node.get("tariff").asText()).isEqualTo(tariff);
    }

    @Property(tries = 200)
    void canonicalBatchBytes_areToJsonOfEachReading(@ForAll("decimals") BigDecimal value, @ForAll String meter,
                                                   @ForAll("instants") Instant sourceTime) {
        List<Reading> batch = List.of(reading(value, BigDecimal.ONE, meter, sourceTime),
                reading(BigDecimal.TEN, value, meter + "\u00e9\n", sourceTime.plusNanos(1)));

        EncodedReadings decoded = ReadingCodec.fromCanonicalJsonBatch(ReadingCodec.toJsonBatch(batch));

        assertThat(decoded).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(new String(decoded.json(i), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(ReadingCodec.toJson(batch.get(i)));
        }
    }

    @Property(tries = 200)
    void encoder_matchesToJson(@ForAll("decimals") BigDecimal value, @ForAll String meter, @ForAll("instants") Instant sourceTime) {
        Reading first = reading(value, BigDecimal.ONE, meter, sourceTime);
        Reading second = reading(BigDecimal.TEN, value, meter + "x", sourceTime.plusNanos(1));

        try (ReadingEncoder encoder = new ReadingEncoder()) {
            assertThat(new String(encoder.encode(first), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(ReadingCodec.toJson(first));
            assertThat(new String(encoder.encode(second), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(ReadingCodec.toJson(second));
        }
    }

    private static Reading reading(BigDecimal value, BigDecimal raw, String meter, Instant sourceTime) {
        return new Reading(ReadingKey.of("plant-a", meter, "1-0:1.8.0", sourceTime), "plant-a", ServerRole.SECONDARY,
                meter, "1-0:1.8.0", value, "kWh", raw, sourceTime, sourceTime.plusMillis(250), Quality.ofStatusCode(0), 0);
    }
}
