package io.busbar.mappings.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import io.busbar.mappings.model.Reading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes readings one by one into their wire-format JSON bytes (exactly what
 * {@link ReadingCodec#toJson} gives, as UTF-8) with one generator and one buffer for all of them:
 * per-record targets such as Kafka encode every reading of a batch, and a generator, a list and a
 * String per reading showed up in the benchmark profile. Not thread-safe: one per batch or thread.
 */
public final class ReadingEncoder implements AutoCloseable {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final RepeatedTexts times = new RepeatedTexts();
    private final JsonGenerator json;

    public ReadingEncoder() {
        try {
            json = ReadingCodec.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // root values are written one after another into the same generator; without this Jackson
        // puts a space before every reading but the first
        json.setRootValueSeparator(null);
    }

    public byte[] encode(Reading reading) {
        try {
            ReadingCodec.writeReading(json, reading, times);
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    /** Hands the generator's buffers back to Jackson's pool. */
    @Override
    public void close() {
        try {
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
