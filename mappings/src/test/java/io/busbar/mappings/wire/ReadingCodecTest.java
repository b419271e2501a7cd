package io.busbar.mappings.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Reading ENERGY = new Reading(
            "plant-a/MTR-001/1-0:1.8.0/2024-03-31T00:15:00Z", "plant-a", ServerRole.PRIMARY, "MTR-001", "1-0:1.8.0",
            new BigDecimal("123.456"), "kWh", new BigDecimal("123456"),
            Instant.parse("2024-03-31T00:15:00Z"), Instant.parse("2024-03-31T00:15:00.250Z"), Quality.GOOD, 0);
    private static final Reading HUGE = new Reading(
            "plant-a/MTR-002/1-0:1.8.0/2024-03-31T00:15:00.123456789Z", "plant-a", ServerRole.SECONDARY, "MTR-002", "1-0:1.8.0",
            new BigDecimal("12345678901234567890.123"), "kWh", new BigDecimal("12345678901234567890123"),
            Instant.parse("2024-03-31T00:15:00.123456789Z"), null, Quality.UNCERTAIN, 0x40000000L);
    private static final Reading BAD = new Reading(
            "plant-a/MTR-003/1-0:1.7.0/2024-03-31T00:15:00Z", "plant-a", ServerRole.PRIMARY, "MTR-003", "1-0:1.7.0",
            new BigDecimal("-0.000000001"), "kW", new BigDecimal("0.1"),
            Instant.parse("2024-03-31T00:15:00Z"), Instant.parse("2024-03-31T00:15:01Z"), Quality.BAD, 0x80310000L);

    private static final Reading BILLED = new Reading(
            "plant-a/APT-0042/1-0:1.8.1/2024-03-31T00:15:00Z", "plant-a", ServerRole.SECONDARY, "APT-0042", "1-0:1.8.1",
            new BigDecimal("7054.89"), "kWh", new BigDecimal("705489"),
            Instant.parse("2024-03-31T00:15:00Z"), null, Quality.UNCERTAIN, 0x408F0000L,
            ValidationStatus.QUESTIONABLE, List.of("uncertain-quality", "rollover"), "033807", "5087875888", "Bld 12, apt 42",
            List.of("bld-12", "feeder-3"), Medium.ELECTRICITY, Accumulation.REGISTER, "T1");

    @Test
    void batch_roundTripsEveryField() {
        List<Reading> batch = List.of(ENERGY, HUGE, BAD);

        assertThat(ReadingCodec.fromJsonBatch(ReadingCodec.toJsonBatch(batch))).isEqualTo(batch);
    }

    @Test
    void emptyBatch_roundTrips() {
        assertThat(new String(ReadingCodec.toJsonBatch(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
        assertThat(ReadingCodec.fromJsonBatch("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void singleReading_roundTrips() {
        assertThat(ReadingCodec.fromJson(ReadingCodec.toJson(HUGE))).isEqualTo(HUGE);
    }

    @Test
    void json_hasExactlyTheContractFieldNamesInOrder() throws Exception {
        JsonNode json = JSON.readTree(ReadingCodec.toJson(ENERGY));

        assertThat(json.fieldNames()).toIterable().containsExactly(
                "key", "pair", "server", "meter", "quantity", "value", "unit", "raw",
                "sourceTime", "serverTime", "quality", "status",
                "validation", "flags", "serial", "account", "address", "groups", "medium", "accumulation", "tariff");
    }

    @Test
    void json_isTheDocumentedWireForm() {
        assertThat(ReadingCodec.toJson(ENERGY)).isEqualTo("""
                {"key":"plant-a/MTR-001/1-0:1.8.0/2024-03-31T00:15:00Z","pair":"plant-a","server":"primary",\
                "meter":"MTR-001","quantity":"1-0:1.8.0","value":123.456,"unit":"kWh","raw":123456,\
                "sourceTime":"2024-03-31T00:15:00Z","serverTime":"2024-03-31T00:15:00.250Z","quality":"GOOD","status":0,\
                "validation":"RAW","flags":[],"serial":null,"account":null,"address":null,"groups":[],"medium":null,\
                "accumulation":null,"tariff":null}""");
    }

    @Test
    void validatedReadingWithMeterAttributes_isTheDocumentedWireForm() {
        assertThat(ReadingCodec.toJson(BILLED)).isEqualTo("""
                {"key":"plant-a/APT-0042/1-0:1.8.1/2024-03-31T00:15:00Z","pair":"plant-a","server":"secondary",\
                "meter":"APT-0042","quantity":"1-0:1.8.1","value":7054.89,"unit":"kWh","raw":705489,\
                "sourceTime":"2024-03-31T00:15:00Z","serverTime":null,"quality":"UNCERTAIN","status":1083113472,\
                "validation":"QUESTIONABLE","flags":["uncertain-quality","rollover"],"serial":"033807","account":"5087875888",\
                "address":"Bld 12, apt 42","groups":["bld-12","feeder-3"],"medium":"electricity","accumulation":"register",\
                "tariff":"T1"}""");
    }

    @Test
    void validatedReadingWithMeterAttributes_roundTrips() {
        assertThat(ReadingCodec.fromJsonBatch(ReadingCodec.toJsonBatch(List.of(BILLED, ENERGY)))).containsExactly(BILLED, ENERGY);
    }

    @Test
    void everyMediumAndAccumulation_roundTrips() {
        for (Medium medium : Medium.values()) {
            for (Accumulation accumulation : Accumulation.values()) {
                Reading reading = new Reading(ENERGY.key(), ENERGY.pair(), ENERGY.server(), ENERGY.meter(), ENERGY.quantity(),
                        ENERGY.value(), ENERGY.unit(), ENERGY.raw(), ENERGY.sourceTime(), ENERGY.serverTime(), ENERGY.quality(),
                        ENERGY.status(), ValidationStatus.VALID, List.of(), null, null, null, List.of(), medium, accumulation, null);

                assertThat(ReadingCodec.fromJson(ReadingCodec.toJson(reading))).isEqualTo(reading);
            }
        }
    }

    /** Readings written by the first version are still in durable queues after an upgrade. */
    @Test
    void readingWrittenBeforeValidationAndAttributes_readsAsRawWithoutThem() {
        String firstVersion = """
                {"key":"plant-a/MTR-001/1-0:1.8.0/2024-03-31T00:15:00Z","pair":"plant-a","server":"primary",\
                "meter":"MTR-001","quantity":"1-0:1.8.0","value":123.456,"unit":"kWh","raw":123456,\
                "sourceTime":"2024-03-31T00:15:00Z","serverTime":"2024-03-31T00:15:00.250Z","quality":"GOOD","status":0}""";

        Reading reading = ReadingCodec.fromJson(firstVersion);

        assertThat(reading).isEqualTo(ENERGY);
        assertThat(reading.validation()).isEqualTo(ValidationStatus.RAW);
        assertThat(reading.flags()).isEmpty();
        assertThat(reading.groups()).isEmpty();
        assertThat(reading.serial()).isNull();
        assertThat(reading.medium()).isNull();
    }

    /** A later version may add media or accumulation kinds; an older reader must not fail the whole batch. */
    @Test
    void unknownMediumOrAccumulation_readsAsUnknown() {
        String json = ReadingCodec.toJson(BILLED).replace("\"electricity\"", "\"steam\"").replace("\"register\"", "\"cumulative\"");

        Reading reading = ReadingCodec.fromJson(json);

        assertThat(reading.medium()).isNull();
        assertThat(reading.accumulation()).isNull();
        assertThat(reading.flags()).containsExactly("uncertain-quality", "rollover");
    }

    @Test
    void value_isAJsonNumberWrittenExactly() {
        assertThat(ReadingCodec.toJson(ENERGY)).contains("\"value\":123.456,");
        assertThat(ReadingCodec.toJson(HUGE)).contains("\"value\":12345678901234567890.123,")
                .contains("\"raw\":12345678901234567890123,");
        assertThat(ReadingCodec.toJson(BAD)).contains("\"value\":-0.000000001,").contains("\"raw\":0.1,");
    }

    @Test
    void valueWithAnExponent_isWrittenPlain() {
        Reading thousand = withValue(ENERGY, new BigDecimal("1E+3"));

        assertThat(ReadingCodec.toJson(thousand)).contains("\"value\":1000,");
    }

    /** Regression: reading a batch stripped trailing zeros, so raw 100.0 came back as 1E+2. */
    @Test
    void trailingZeros_surviveTheRoundTrip() {
        Reading reading = new Reading(ENERGY.key(), ENERGY.pair(), ENERGY.server(), ENERGY.meter(), ENERGY.quantity(),
                new BigDecimal("0.10"), "kWh", new BigDecimal("100.0"), ENERGY.sourceTime(), ENERGY.serverTime(), Quality.GOOD, 0);

        Reading back = ReadingCodec.fromJsonBatch(ReadingCodec.toJsonBatch(List.of(reading))).get(0);

        assertThat(back).isEqualTo(reading);
        assertThat(back.raw().toString()).isEqualTo("100.0");
    }

    @Test
    void server_isLowerCase() {
        assertThat(ReadingCodec.toJson(ENERGY)).contains("\"server\":\"primary\"");
        assertThat(ReadingCodec.toJson(HUGE)).contains("\"server\":\"secondary\"");
    }

    @Test
    void times_areIso8601Utc() throws Exception {
        JsonNode json = JSON.readTree(ReadingCodec.toJson(HUGE));

        assertThat(json.get("sourceTime").asText()).isEqualTo("2024-03-31T00:15:00.123456789Z");
        assertThat(json.get("serverTime").isNull()).isTrue();
        assertThat(JSON.readTree(ReadingCodec.toJson(ENERGY)).get("serverTime").asText()).isEqualTo("2024-03-31T00:15:00.250Z");
    }

    @Test
    void status_isTheUnsignedStatusCode() throws Exception {
        assertThat(JSON.readTree(ReadingCodec.toJson(BAD)).get("status").asLong()).isEqualTo(2150694912L);
    }

    @Test
    void batch_isAJsonArrayOfReadingObjects() throws Exception {
        JsonNode json = JSON.readTree(ReadingCodec.toJsonBatch(List.of(ENERGY, BAD)));

        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        assertThat(json.get(1).get("meter").asText()).isEqualTo("MTR-003");
    }

    @Test
    void nonArrayBatch_isRejected() {
        assertThatThrownBy(() -> ReadingCodec.fromJsonBatch(ReadingCodec.toJson(ENERGY).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a reading batch must be a JSON array");
    }

    @Test
    void brokenJson_isRejected() {
        assertThatThrownBy(() -> ReadingCodec.fromJsonBatch("[{\"key\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a JSON reading batch: ");
    }

    /** Kafka sends these bytes as the record value: they must be exactly what toJson gave, reading after reading. */
    @Test
    void encoder_givesExactlyTheBytesOfToJson_forEveryReadingItEncodes() {
        try (ReadingEncoder encoder = new ReadingEncoder()) {
            for (Reading reading : List.of(ENERGY, HUGE, BAD, BILLED, ENERGY)) {
                assertThat(new String(encoder.encode(reading), StandardCharsets.UTF_8)).isEqualTo(ReadingCodec.toJson(reading));
            }
        }
    }

    /** Kafka passes these bytes through as record values: they must be exactly toJson of each reading. */
    @Test
    void canonicalBatch_keepsEachReadingsExactToJsonBytes() {
        List<Reading> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.addAll(List.of(ENERGY, HUGE, BAD, BILLED));
        }

        EncodedReadings decoded = ReadingCodec.fromCanonicalJsonBatch(ReadingCodec.toJsonBatch(batch));

        assertThat(decoded).isEqualTo(batch);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(new String(decoded.json(i), StandardCharsets.UTF_8)).isEqualTo(ReadingCodec.toJson(batch.get(i)));
        }
    }

    @Test
    void canonicalBatch_rejectsWhatFromJsonBatchRejects() {
        assertThatThrownBy(() -> ReadingCodec.fromCanonicalJsonBatch(ReadingCodec.toJson(ENERGY).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a reading batch must be a JSON array");
        assertThat(ReadingCodec.fromCanonicalJsonBatch("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    /** A later version may add fields, objects and arrays included; this version skips them. */
    @Test
    void unknownFields_areSkipped() {
        String json = ReadingCodec.toJson(BILLED).replace("\"pair\":",
                "\"extra\":{\"nested\":[1,{\"a\":\"b\"}]},\"more\":[[]],\"note\":\"x\",\"pair\":");

        assertThat(ReadingCodec.fromJsonBatch(("[" + json + "," + ReadingCodec.toJson(ENERGY) + "]").getBytes(StandardCharsets.UTF_8)))
                .containsExactly(BILLED, ENERGY);
    }

    /** The readings of one publish share their times; each still gets its own, equal, Instant. */
    @Test
    void batchOfManyReadingsWithSharedAndDistinctTimes_roundTrips() {
        List<Reading> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Instant at = ENERGY.sourceTime().plusSeconds(i % 3 == 0 ? i : 0);
            batch.add(new Reading(ReadingKey.of("plant-a", "M" + i, "1-0:1.8.0", at), "plant-a", ServerRole.PRIMARY, "M" + i,
                    "1-0:1.8.0", new BigDecimal(i + ".50"), "kWh", new BigDecimal(i * 10 + ".0"), at, at.plusMillis(i % 2),
                    Quality.GOOD, 0));
        }

        assertThat(ReadingCodec.fromJsonBatch(ReadingCodec.toJsonBatch(batch))).isEqualTo(batch);
    }

    @Test
    void batchElementThatIsNotAnObject_isRejected() {
        assertThatThrownBy(() -> ReadingCodec.fromJsonBatch("[42]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a reading must be a JSON object");
    }

    @Test
    void readingWithoutSourceTime_isRejected() {
        String json = ReadingCodec.toJson(ENERGY).replace("\"sourceTime\":\"2024-03-31T00:15:00Z\",", "");

        assertThatThrownBy(() -> ReadingCodec.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sourceTime");
    }

    static Reading withValue(Reading r, BigDecimal value) {
        return new Reading(r.key(), r.pair(), r.server(), r.meter(), r.quantity(), value, r.unit(), r.raw(),
                r.sourceTime(), r.serverTime(), r.quality(), r.status());
    }
}
