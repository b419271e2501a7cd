package io.busbar.accounting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An event as one JSON object, the way {@code events.jsonl} and event targets carry it: {@code key},
 * {@code type} ({@code imbalance}, {@code over-allowed}, {@code over-maximum}), {@code state}
 * ({@code raised}, or {@code withdrawn}: see {@link AccountingEvent#withdrawn()}), {@code pair},
 * {@code group}, {@code quantity}, {@code interval}, {@code start}, {@code end}, {@code parent},
 * {@code sum}, {@code difference}, {@code percent}, {@code threshold}, {@code estimated}, {@code unit}.
 * Amounts are exact decimals; absent ones are null.
 */
public final class EventJson {

    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {
    }

    public static String toJson(AccountingEvent e) {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            json.writeStartObject();
            json.writeStringField("key", e.key());
            json.writeStringField("type", e.type().wireName());
            json.writeStringField("state", e.state());
            json.writeStringField("pair", e.pair());
            json.writeStringField("group", e.group());
            json.writeStringField("quantity", e.quantity());
            json.writeStringField("interval", e.length().wireName());
            time(json, "start", e.start());
            time(json, "end", e.end());
            decimal(json, "parent", e.parent());
            decimal(json, "sum", e.sum());
            decimal(json, "difference", e.difference());
            decimal(json, "percent", e.percent());
            decimal(json, "threshold", e.threshold());
            decimal(json, "estimated", e.estimated());
            json.writeStringField("unit", e.unit());
            json.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void time(JsonGenerator json, String field, Instant at) throws IOException {
        json.writeStringField(field, at == null ? null : at.toString());
    }

    private static void decimal(JsonGenerator json, String field, BigDecimal value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }
}
