package io.busbar.routes.source;

import io.busbar.mappings.model.Reading;
import java.util.List;

/**
 * What a source pair hands to its ingest route at once: readings to make durable, and samples or
 * readings that must not reach the targets (unmappable values, readings the validation rules
 * dead-letter) — these go to the pair's dead-letter queue with their reason.
 *
 * <p>{@code seq} numbers the pair's batches (1, 2, 3, … across restarts); the buffer keeps it with
 * every chunk, so a restart can tell which batches were made durable after the last watermark save
 * ({@link ForwardLog}).
 */
public record IngestBatch(List<Reading> readings, List<SourceDeadLetter> deadLetters, long seq) {

    /**
     * @param payload JSON: a one-reading batch (replayable) or the raw sample (not replayable)
     * @param reason  why it was not forwarded
     * @param reading true when {@code payload} is a reading batch
     */
    public record SourceDeadLetter(byte[] payload, String reason, boolean reading) {
    }

    public IngestBatch {
        readings = List.copyOf(readings);
        deadLetters = List.copyOf(deadLetters);
    }

    /** A batch outside the pair's sequence (tests, replays): {@link #seq} 0. */
    public IngestBatch(List<Reading> readings, List<SourceDeadLetter> deadLetters) {
        this(readings, deadLetters, 0);
    }
}
