package io.busbar.connectors.target;

import io.busbar.mappings.model.Reading;
import java.util.List;

/**
 * A system readings are delivered to.
 *
 * <p>Lifecycle: created from its {@link TargetSettings}, {@link #start() started} before its
 * delivery route consumes, then called with batches from that route's transaction, and
 * {@link #close() closed} after the route stopped.
 *
 * <p>Contract of {@link #deliver}: return only once the target has confirmed the whole batch
 * (file written and forced to disk, Kafka acknowledged by all in-sync replicas, ...). Throw
 * {@link RejectedReadingsException} for readings the target refuses for good (they are
 * dead-lettered, the rest counts as delivered); throw anything else when the batch was not
 * delivered — the caller then rolls back and retries the whole batch with back-off. Targets may
 * therefore see a batch again after a failure or a crash, and must tolerate that by the reading key.
 *
 * <p>With a {@code parallelism} above 1 (kafka and http targets) {@link #deliver} is called from
 * several threads at once, each with readings of other meters.
 */
public interface Target extends AutoCloseable {

    String name();

    default void start() throws Exception {
    }

    void deliver(List<Reading> batch) throws RejectedReadingsException, Exception;

    /**
     * True when what the target does with a batch depends on exactly which readings it holds (an
     * HTTP body of the whole batch is sent under one Idempotency-Key derived from its reading
     * keys). Such a target is given each buffer message as its own batch, whose composition never
     * changes on a retry or after a crash; the others get every message already waiting at once.
     */
    default boolean batchIsItsIdentity() {
        return false;
    }

    @Override
    default void close() throws Exception {
    }
}
