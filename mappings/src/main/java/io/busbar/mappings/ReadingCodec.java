package io.busbar.mappings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON wire format of a reading: one object per reading, as written to JSON-lines files and as
 * the value of a Kafka or MQTT message. Field names are a contract (see {@link Reading}). Numbers are
 * written as exact decimals, never through a binary float; times as ISO-8601 UTC.
 *
 * <p>A batch (what one durable buffer message carries) is a JSON array of such objects.
 *
 * <p>Fields added after the first version ({@code validation}, {@code flags} and the meter
 * attributes) are always written ({@code null} or {@code []} when unset) and may be absent when
 * reading: a reading written before them comes back {@code RAW}, without flags or attributes.
 *
 * <p>Reading is streaming ({@link ReadingParser}); to encode many single readings, e.g. one per
 * Kafka record, use one {@link ReadingEncoder} rather than {@link #toJson} per reading.
 */
public final class ReadingCodec {

    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .build();

    private ReadingCodec() {
    }

    public static String toJson(Reading reading) {
        try (ReadingEncoder encoder = new ReadingEncoder()) {
            return new String(encoder.encode(reading), StandardCharsets.UTF_8);
        }
    }

    public static byte[] toJsonBatch(List<Reading> readings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(readings.size() * 448 + 2);
        IsoTimes times = new IsoTimes();
        try (JsonGenerator json = createGenerator(out)) {
            json.writeStartArray();
            for (Reading reading : readings) {
                writeReading(json, reading, times);
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static List<Reading> fromJsonBatch(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return new ReadingParser(parser).readBatch();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON reading batch: " + e.getMessage(), e);
        }
    }

    public static Reading fromJson(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return new ReadingParser(parser).readOne();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON reading: " + e.getMessage(), e);
        }
    }

    static JsonGenerator createGenerator(OutputStream out) throws IOException {
        JsonGenerator json = FACTORY.createGenerator(out);
        json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        return json;
    }

    static void writeReading(JsonGenerator json, Reading r, IsoTimes times) throws IOException {
        json.writeStartObject();
        json.writeStringField("key", r.key());
        json.writeStringField("pair", r.pair());
        json.writeStringField("server", r.server() == null ? null : r.server().wireName());
        json.writeStringField("meter", r.meter());
        json.writeStringField("quantity", r.quantity());
        writeDecimal(json, "value", r.value());
        json.writeStringField("unit", r.unit());
        writeDecimal(json, "raw", r.raw());
        json.writeStringField("sourceTime", times.format(r.sourceTime()));
        json.writeStringField("serverTime", r.serverTime() == null ? null : times.format(r.serverTime()));
        json.writeStringField("quality", r.quality() == null ? null : r.quality().name());
        json.writeNumberField("status", r.status());
        json.writeStringField("validation", r.validation().name());
        writeStrings(json, "flags", r.flags());
        json.writeStringField("serial", r.serial());
        json.writeStringField("account", r.account());
        json.writeStringField("address", r.address());
        writeStrings(json, "groups", r.groups());
        json.writeStringField("medium", r.medium() == null ? null : r.medium().wireName());
        json.writeStringField("accumulation", r.accumulation() == null ? null : r.accumulation().wireName());
        json.writeStringField("tariff", r.tariff());
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void writeDecimal(JsonGenerator json, String field, BigDecimal value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }
}
