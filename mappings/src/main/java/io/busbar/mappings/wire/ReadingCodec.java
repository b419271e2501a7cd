package io.busbar.mappings.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.busbar.mappings.model.Reading;
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

    /**
     * Version of the bytes {@link #toJson} and {@link #toJsonBatch} write for a reading. Bump it
     * whenever they change (a field, its order, number or time formatting): buffered messages
     * marked with the old version are then re-encoded instead of passed through
     * ({@link #fromCanonicalJsonBatch}).
     */
    public static final int WIRE_VERSION = 2;

    private ReadingCodec() {
    }

    public static String toJson(Reading reading) {
        try (ReadingEncoder encoder = new ReadingEncoder()) {
            return new String(encoder.encode(reading), StandardCharsets.UTF_8);
        }
    }

    public static byte[] toJsonBatch(List<Reading> readings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(readings.size() * 448 + 2);
        RepeatedTexts times = new RepeatedTexts();
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

    /**
     * Decodes a batch that {@link #toJsonBatch} of this {@link #WIRE_VERSION} wrote and keeps each
     * reading's bytes, which are then exactly what {@link #toJson} would write for it. For anything
     * else (older messages, hand-written JSON) use {@link #fromJsonBatch}.
     */
    public static EncodedReadings fromCanonicalJsonBatch(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return new ReadingParser(parser).readBatchWithBytes(json);
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

    static void writeReading(JsonGenerator json, Reading r, RepeatedTexts times) throws IOException {
        json.writeStartObject();
        json.writeFieldName(Fields.KEY);
        json.writeString(r.key());
        json.writeFieldName(Fields.PAIR);
        times.writeRepeated(json, r.pair());
        json.writeFieldName(Fields.SERVER);
        times.writeRepeated(json, r.server() == null ? null : r.server().wireName());
        json.writeFieldName(Fields.METER);
        json.writeString(r.meter());
        json.writeFieldName(Fields.QUANTITY);
        times.writeRepeated(json, r.quantity());
        writeDecimal(json, Fields.VALUE, r.value());
        json.writeFieldName(Fields.UNIT);
        times.writeRepeated(json, r.unit());
        writeDecimal(json, Fields.RAW, r.raw());
        json.writeFieldName(Fields.SOURCE_TIME);
        times.writeRepeated(json, times.format(r.sourceTime()));
        json.writeFieldName(Fields.SERVER_TIME);
        json.writeString(r.serverTime() == null ? null : times.format(r.serverTime()));
        json.writeFieldName(Fields.QUALITY);
        times.writeRepeated(json, r.quality() == null ? null : r.quality().name());
        json.writeFieldName(Fields.STATUS);
        json.writeNumber(r.status());
        json.writeFieldName(Fields.VALIDATION);
        times.writeRepeated(json, r.validation().name());
        writeStrings(json, Fields.FLAGS, r.flags());
        json.writeFieldName(Fields.SERIAL);
        json.writeString(r.serial());
        json.writeFieldName(Fields.ACCOUNT);
        json.writeString(r.account());
        json.writeFieldName(Fields.ADDRESS);
        json.writeString(r.address());
        writeStrings(json, Fields.GROUPS, r.groups());
        json.writeFieldName(Fields.MEDIUM);
        times.writeRepeated(json, r.medium() == null ? null : r.medium().wireName());
        json.writeFieldName(Fields.ACCUMULATION);
        times.writeRepeated(json, r.accumulation() == null ? null : r.accumulation().wireName());
        json.writeFieldName(Fields.TARIFF);
        times.writeRepeated(json, r.tariff());
        json.writeEndObject();
    }

    /** The field names, quoted and encoded once instead of per reading. */
    private static final class Fields {
        static final SerializedString KEY = new SerializedString("key");
        static final SerializedString PAIR = new SerializedString("pair");
        static final SerializedString SERVER = new SerializedString("server");
        static final SerializedString METER = new SerializedString("meter");
        static final SerializedString QUANTITY = new SerializedString("quantity");
        static final SerializedString VALUE = new SerializedString("value");
        static final SerializedString UNIT = new SerializedString("unit");
        static final SerializedString RAW = new SerializedString("raw");
        static final SerializedString SOURCE_TIME = new SerializedString("sourceTime");
        static final SerializedString SERVER_TIME = new SerializedString("serverTime");
        static final SerializedString QUALITY = new SerializedString("quality");
        static final SerializedString STATUS = new SerializedString("status");
        static final SerializedString VALIDATION = new SerializedString("validation");
        static final SerializedString FLAGS = new SerializedString("flags");
        static final SerializedString SERIAL = new SerializedString("serial");
        static final SerializedString ACCOUNT = new SerializedString("account");
        static final SerializedString ADDRESS = new SerializedString("address");
        static final SerializedString GROUPS = new SerializedString("groups");
        static final SerializedString MEDIUM = new SerializedString("medium");
        static final SerializedString ACCUMULATION = new SerializedString("accumulation");
        static final SerializedString TARIFF = new SerializedString("tariff");

        private Fields() {
        }
    }

    private static void writeStrings(JsonGenerator json, SerializedString field, List<String> values) throws IOException {
        json.writeFieldName(field);
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void writeDecimal(JsonGenerator json, SerializedString field, BigDecimal value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }
}
