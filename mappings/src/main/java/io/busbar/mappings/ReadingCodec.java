package io.busbar.mappings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
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
 */
public final class ReadingCodec {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .build();
    // Exact BigDecimals: Jackson's default node factory strips trailing zeros, so raw 100.0 came back as 1E+2.
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private ReadingCodec() {
    }

    public static String toJson(Reading reading) {
        return new String(write(List.of(reading), false), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static byte[] toJsonBatch(List<Reading> readings) {
        return write(readings, true);
    }

    public static List<Reading> fromJsonBatch(byte[] json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonNode array = MAPPER.readTree(parser);
            if (array == null || !array.isArray()) {
                throw new IllegalArgumentException("a reading batch must be a JSON array");
            }
            List<Reading> readings = new ArrayList<>(array.size());
            for (JsonNode node : array) {
                readings.add(fromNode(node));
            }
            return readings;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON reading batch: " + e.getMessage(), e);
        }
    }

    public static Reading fromJson(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON reading: " + e.getMessage(), e);
        }
    }

    private static byte[] write(List<Reading> readings, boolean asArray) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(readings.size() * 448);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            if (asArray) {
                json.writeStartArray();
            }
            for (Reading reading : readings) {
                writeReading(json, reading);
            }
            if (asArray) {
                json.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeReading(JsonGenerator json, Reading r) throws IOException {
        json.writeStartObject();
        json.writeStringField("key", r.key());
        json.writeStringField("pair", r.pair());
        json.writeStringField("server", r.server() == null ? null : r.server().wireName());
        json.writeStringField("meter", r.meter());
        json.writeStringField("quantity", r.quantity());
        writeDecimal(json, "value", r.value());
        json.writeStringField("unit", r.unit());
        writeDecimal(json, "raw", r.raw());
        json.writeStringField("sourceTime", r.sourceTime().toString());
        json.writeStringField("serverTime", r.serverTime() == null ? null : r.serverTime().toString());
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

    private static Reading fromNode(JsonNode n) {
        return new Reading(
                text(n, "key"),
                text(n, "pair"),
                n.hasNonNull("server") ? ServerRole.fromWireName(n.get("server").asText()) : null,
                text(n, "meter"),
                text(n, "quantity"),
                n.hasNonNull("value") ? n.get("value").decimalValue() : null,
                text(n, "unit"),
                n.hasNonNull("raw") ? n.get("raw").decimalValue() : null,
                Instant.parse(text(n, "sourceTime")),
                n.hasNonNull("serverTime") ? Instant.parse(n.get("serverTime").asText()) : null,
                n.hasNonNull("quality") ? Quality.valueOf(n.get("quality").asText()) : null,
                n.path("status").asLong(),
                n.hasNonNull("validation") ? ValidationStatus.valueOf(n.get("validation").asText()) : ValidationStatus.RAW,
                strings(n, "flags"),
                text(n, "serial"),
                text(n, "account"),
                text(n, "address"),
                strings(n, "groups"),
                n.hasNonNull("medium") ? medium(n.get("medium").asText()) : null,
                n.hasNonNull("accumulation") ? accumulation(n.get("accumulation").asText()) : null,
                text(n, "tariff"));
    }

    /** Absent in readings written before the list existed: empty. */
    private static List<String> strings(JsonNode node, String field) {
        JsonNode array = node.get(field);
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<String> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    // A medium or accumulation a later version added reads as unknown (null) rather than failing the batch.
    private static Medium medium(String name) {
        try {
            return Medium.fromWireName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Accumulation accumulation(String name) {
        try {
            return Accumulation.fromWireName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
