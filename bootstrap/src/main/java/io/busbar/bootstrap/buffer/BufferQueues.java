package io.busbar.bootstrap.buffer;

import java.time.Instant;
import java.util.Optional;

/** Depth and age of the buffer's queues, read without consuming anything. */
public interface BufferQueues {

    long messageCount(String queue);

    /** Messages the queue's consumers acknowledged since the broker started: it grows while a consumer takes them. */
    long messagesAcknowledged(String queue);

    /** The value of a long property of the queue's first message, e.g. the oldest source time in it; empty if unknown. */
    Optional<Instant> firstMessageTime(String queue, String property);
}
