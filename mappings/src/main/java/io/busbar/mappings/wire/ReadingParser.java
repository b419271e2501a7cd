package io.busbar.mappings.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the wire format with Jackson's streaming parser straight into {@link Reading}s: no
 * {@code JsonNode} tree of the whole batch (that tree was a fifth of Busbar's CPU in the benchmark
 * and several copies of the batch on the heap). Numbers come from the token text, so
 * {@code 100.0} stays {@code 100.0} and never becomes {@code 1E+2}.
 *
 * <p>Lenient the same way the tree-based reader was: unknown fields are skipped; fields added after
 * the first version may be absent; a medium or accumulation a later version added reads as null.
 */
final class ReadingParser {

    private final JsonParser json;
    private final RepeatedTexts times = new RepeatedTexts();

    ReadingParser(JsonParser json) {
        this.json = json;
    }

    /** The array the parser is at, reading by reading. */
    List<Reading> readBatch() throws IOException {
        if (json.nextToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("a reading batch must be a JSON array");
        }
        List<Reading> readings = new ArrayList<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            readings.add(readObject());
        }
        return readings;
    }

    /** Like {@link #readBatch}, keeping where in {@code source} (what the parser reads) each reading was. */
    EncodedReadings readBatchWithBytes(byte[] source) throws IOException {
        if (json.nextToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("a reading batch must be a JSON array");
        }
        List<Reading> readings = new ArrayList<>();
        int[] starts = new int[64];
        int[] ends = new int[64];
        while (json.nextToken() != JsonToken.END_ARRAY) {
            int index = readings.size();
            if (index == starts.length) {
                starts = Arrays.copyOf(starts, index * 2);
                ends = Arrays.copyOf(ends, index * 2);
            }
            starts[index] = (int) json.currentTokenLocation().getByteOffset();
            readings.add(readObject());
            ends[index] = (int) json.currentLocation().getByteOffset();
        }
        return new EncodedReadings(readings, source, starts, ends);
    }

    /** The single object the parser is at. */
    Reading readOne() throws IOException {
        json.nextToken();
        return readObject();
    }

    private Reading readObject() throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("a reading must be a JSON object, not " + json.currentToken());
        }
        Fields f = new Fields();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            read(f, field);
        }
        if (f.sourceTime == null) {
            throw new IllegalArgumentException("a reading needs a sourceTime");
        }
        return new Reading(f.key, f.pair, f.server, f.meter, f.quantity, f.value, f.unit, f.raw,
                f.sourceTime, f.serverTime, f.quality, f.status, f.validation, f.flags, f.serial, f.account,
                f.address, f.groups, f.medium, f.accumulation, f.tariff);
    }

    private void read(Fields f, String field) throws IOException {
        switch (field) {
            case "key" -> f.key = text();
            case "pair" -> f.pair = text();
            case "server" -> f.server = ifPresent(text(), ServerRole::fromWireName);
            case "meter" -> f.meter = text();
            case "quantity" -> f.quantity = text();
            case "value" -> f.value = decimal();
            case "unit" -> f.unit = text();
            case "raw" -> f.raw = decimal();
            case "sourceTime" -> f.sourceTime = ifPresent(text(), times::parse);
            case "serverTime" -> f.serverTime = ifPresent(text(), times::parse);
            case "quality" -> f.quality = ifPresent(text(), Quality::valueOf);
            case "status" -> f.status = json.getValueAsLong();
            case "validation" -> f.validation = ifPresent(text(), ValidationStatus::valueOf);
            case "flags" -> f.flags = strings();
            case "serial" -> f.serial = text();
            case "account" -> f.account = text();
            case "address" -> f.address = text();
            case "groups" -> f.groups = strings();
            case "medium" -> f.medium = ifPresent(text(), ReadingParser::medium);
            case "accumulation" -> f.accumulation = ifPresent(text(), ReadingParser::accumulation);
            case "tariff" -> f.tariff = text();
            default -> json.skipChildren();
        }
    }

    /** The value as text (numbers and booleans too, as {@code JsonNode.asText} did); null for null. */
    private String text() throws IOException {
        if (json.currentToken().isStructStart()) {
            json.skipChildren();
            return null;
        }
        return json.getValueAsString();
    }

    private BigDecimal decimal() throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return json.getDecimalValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            return new BigDecimal(json.getText());
        }
        json.skipChildren();
        return null;
    }

    /** Absent in readings written before the list existed, or not a list: empty. */
    private List<String> strings() throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            json.skipChildren();
            return List.of();
        }
        List<String> values = new ArrayList<>(2);
        while (json.nextToken() != JsonToken.END_ARRAY) {
            values.add(text());
        }
        return values;
    }

    private interface Conversion<T> {
        T apply(String text);
    }

    private static <T> T ifPresent(String text, Conversion<T> conversion) {
        return text == null ? null : conversion.apply(text);
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

    /** The fields of the reading being read; absent ones keep these defaults. */
    private static final class Fields {
        String key;
        String pair;
        ServerRole server;
        String meter;
        String quantity;
        BigDecimal value;
        String unit;
        BigDecimal raw;
        Instant sourceTime;
        Instant serverTime;
        Quality quality;
        long status;
        ValidationStatus validation = ValidationStatus.RAW;
        List<String> flags = List.of();
        String serial;
        String account;
        String address;
        List<String> groups = List.of();
        Medium medium;
        Accumulation accumulation;
        String tariff;
    }
}
