package io.busbar.mappings.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.busbar.mappings.model.IsoInstant;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Texts that repeat within one batch, converted once: all readings of an OPC UA publish share one
 * or two source times and a handful of pair, quantity, unit and status names, and
 * {@link Instant#toString()}, {@link Instant#parse} and Jackson's per-character string escaping
 * were top frames of the encode and decode profiles. Bounded, so a batch of all-different values
 * costs a map lookup per reading and no more memory than a few entries; a time not seen yet goes
 * to the faster {@link IsoInstant}. Not thread-safe: one per batch or per encoder.
 */
final class RepeatedTexts {

    private static final int MAX_ENTRIES = 64;

    private final Map<Instant, String> texts = new HashMap<>();
    private final Map<String, Instant> instants = new HashMap<>();
    private final Map<String, SerializedString> repeated = new HashMap<>();

    /**
     * Writes a value most readings of a batch share (pair, server, quantity, unit, status names,
     * source time) from its quoted, escaped form, kept after the first use.
     */
    void writeRepeated(JsonGenerator json, String value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        SerializedString serialized = repeated.get(value);
        if (serialized == null) {
            if (repeated.size() >= MAX_ENTRIES) {
                repeated.clear();
            }
            serialized = new SerializedString(value);
            repeated.put(value, serialized);
        }
        json.writeString(serialized);
    }

    String format(Instant time) {
        String text = texts.get(time);
        if (text == null) {
            if (texts.size() >= MAX_ENTRIES) {
                texts.clear();
            }
            text = IsoInstant.format(time);
            texts.put(time, text);
        }
        return text;
    }

    Instant parse(String text) {
        Instant time = instants.get(text);
        if (time == null) {
            if (instants.size() >= MAX_ENTRIES) {
                instants.clear();
            }
            time = IsoInstant.parse(text);
            instants.put(text, time);
        }
        return time;
    }
}
