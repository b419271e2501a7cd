package io.busbar.mappings;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * ISO-8601 texts of the times of one batch, each formatted or parsed once: all readings of an OPC UA
 * publish share one or two source times, and {@link Instant#toString()} / {@link Instant#parse}
 * were top frames of the encode and decode profiles. Bounded, so a batch of all-different times
 * costs a map lookup per reading and no more memory than a few entries; a miss goes to the faster
 * {@link IsoInstant}. Not thread-safe: one per batch or per encoder.
 */
final class IsoTimes {

    private static final int MAX_ENTRIES = 64;

    private final Map<Instant, String> texts = new HashMap<>();
    private final Map<String, Instant> instants = new HashMap<>();

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
