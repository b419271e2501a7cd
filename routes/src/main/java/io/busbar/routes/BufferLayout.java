package io.busbar.routes;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How readings are laid out in the Artemis buffer: every batch is sent once, durably, to one
 * multicast address; each target has one durable queue on it whose filter selects the pairs routed
 * to that target. One journal write serves all targets, and a slow target only grows its own queue.
 */
public final class BufferLayout {

    public static final String READINGS_ADDRESS = "busbar.readings";
    /** Message property naming the source pair of a batch; the target queues filter on it. */
    public static final String PAIR_PROPERTY = "busbarPair";
    /** Message property with the number of readings in a batch (for metrics without decoding). */
    public static final String COUNT_PROPERTY = "busbarCount";

    /**
     * Upper bound of one buffer message's body. It keeps every message below the broker's journal
     * record limit (the journal buffer, 490 KiB by default), above which Artemis stores a message as
     * a slow, byte-by-byte copied <em>large message</em>; clients must raise their own large-message
     * threshold above it ({@link #MIN_LARGE_MESSAGE_SIZE}).
     */
    public static final int MAX_MESSAGE_BYTES = 384 * 1024;

    /** The client-side large-message threshold the routes' connection factory needs (Artemis: 100 KiB by default). */
    public static final int MIN_LARGE_MESSAGE_SIZE = 480 * 1024;

    private BufferLayout() {
    }

    public static String targetQueue(String target) {
        return "busbar.target." + target;
    }

    /**
     * Message property naming the one target a replayed dead letter is for; other targets' queues
     * ignore the message.
     */
    public static final String REPLAY_TO_PROPERTY = "busbarReplayTo";

    /** The Artemis filter of a target queue: the pairs that feed it, or a replay addressed to it. */
    public static String targetFilter(String target, List<String> pairs) {
        String replay = REPLAY_TO_PROPERTY + " = '" + target + "'";
        if (pairs.isEmpty()) {
            return replay;
        }
        return "(" + REPLAY_TO_PROPERTY + " IS NULL AND " + PAIR_PROPERTY + " IN ("
                + pairs.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ")) + ")) OR " + replay;
    }

    /**
     * The dead-letter queue of a source pair: values that could not be mapped and readings the
     * validation rules keep from the targets, with the reason.
     */
    public static String sourceDeadLetterQueue(String pair) {
        return "busbar.dlq.source." + pair;
    }

    /** Message property: true when a dead letter holds a reading batch that can be replayed. */
    public static final String REPLAYABLE_PROPERTY = "busbarReplayable";

    /** The dead-letter queue of a target: readings it refused for good, with the reason. */
    public static String deadLetterQueue(String target) {
        return "busbar.dlq." + target;
    }

    /**
     * Message property: the {@code ReadingCodec.WIRE_VERSION} that wrote the batch. When it is the
     * reader's own, each reading's bytes are its exact wire form and per-record targets pass them
     * through; messages without it (older versions, replayed dead letters) are re-encoded.
     */
    public static final String CODEC_PROPERTY = "busbarCodec";

    /**
     * Message property: the version of the binary chunk format ({@code ReadingChunkCodec.VERSION})
     * a batch is written in. Informative: readers tell a binary chunk from the JSON batches of
     * earlier versions by its first bytes, so a journal written before the binary format still drains.
     */
    public static final String CHUNK_FORMAT_PROPERTY = "busbarChunkFormat";

    /** Message property with the oldest source time of a batch (epoch ms), for the age of undelivered readings. */
    public static final String OLDEST_PROPERTY = "busbarOldest";

    /**
     * Meter groups per pair: every chunk holds readings of one group only and carries it as its JMS
     * message group, which the broker gives to one consumer of a target queue at a time. A meter is
     * always in the same group, so a target with several consumers still gets each meter in order.
     */
    public static final int METER_GROUPS = 16;

    /** The meter group of a meter, 0 .. {@link #METER_GROUPS} - 1. */
    public static int meterGroupOf(String meter) {
        return Math.floorMod(meter.hashCode(), METER_GROUPS);
    }

    /** The JMS message group ({@code JMSXGroupID}) of a pair's meter group. */
    public static String meterGroup(String pair, int group) {
        return pair + "#" + group;
    }

    /** Message property: the number of the ingest batch a chunk belongs to, in its pair's sequence. */
    public static final String SEQ_PROPERTY = "busbarSeq";

    /**
     * The forward log of a pair: a queue on the readings address that holds, by reference, every
     * chunk the pair made durable since its watermarks were last saved. After a crash it tells
     * exactly what entered the buffer after that save, so the restart does not enter it again.
     */
    public static String forwardLogQueue(String pair) {
        return "busbar.forwarded." + pair;
    }

    /** The filter of a forward log: the pair's own chunks, not dead letters replayed to a target. */
    public static String forwardLogFilter(String pair) {
        return REPLAY_TO_PROPERTY + " IS NULL AND " + PAIR_PROPERTY + " = '" + pair + "'";
    }

    /** Camel JMS URI of a target queue, by its fully qualified name (address::queue). */
    public static String targetQueueUri(String target) {
        return "jms:queue:" + READINGS_ADDRESS + "::" + targetQueue(target);
    }
}
