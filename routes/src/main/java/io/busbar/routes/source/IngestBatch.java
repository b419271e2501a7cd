package io.busbar.routes.source;

import io.busbar.mappings.Reading;
import java.util.List;

/**
 * What a source pair hands to its ingest route at once: readings to make durable, and samples or
 * readings that must not reach the targets (unmappable values, readings the validation rules
 * dead-letter) — these go to the pair's dead-letter queue with their reason.
 */
public record IngestBatch(List<Reading> readings, List<SourceDeadLetter> deadLetters) {

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
}
