package io.busbar.routes.source;

import io.busbar.mappings.model.Reading;
import java.util.List;

/**
 * What a source pair made durable since its watermarks were last saved, kept in the buffer itself:
 * every chunk of the pair is also referenced by the pair's forward-log queue, in the same journal
 * write as for the targets. The watermark file and the log together say exactly which readings are
 * in the buffer, even after a crash between a durable batch and the next watermark save, so a
 * restart backfills only what is really missing and no reading enters the buffer twice.
 *
 * <p>Lifecycle: {@link #recover} once at start, before anything is forwarded; {@link #trim} after
 * each watermark save, with the sequence number that save covers.
 */
interface ForwardLog {

    /** The batches after {@code seq}, oldest first. */
    Recovered recover(long seq) throws Exception;

    /** Forgets the batches up to and including {@code seq}: the saved watermarks cover them. */
    void trim(long seq) throws Exception;

    /**
     * @param readings the readings of the batches after the saved ones
     * @param lastSeq  the newest batch number in the log, or the one asked for when it was empty
     */
    record Recovered(List<Reading> readings, long lastSeq) {
    }
}
