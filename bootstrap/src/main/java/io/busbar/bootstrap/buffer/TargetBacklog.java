package io.busbar.bootstrap.buffer;

import io.busbar.routes.DeliveryBacklog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link DeliveryBacklog} of the buffer's delivery queues (each target's, and the site's link to
 * its central): behind while one of them holds at least {@link #BEHIND_MESSAGES} messages and its
 * consumer acknowledged some within the last {@link #TAKING_WITHIN}. A queue whose consumer takes
 * nothing (its target down, or waiting to retry) never holds read-backs back.
 *
 * <p>Read-backs ask before each history read, so an answer is kept for {@link #REFRESH}: an external
 * broker answers each question with a management round trip.
 */
public final class TargetBacklog implements DeliveryBacklog {

    /**
     * Messages waiting before a read-back waits: a few history reads' worth (one read of ~20,000
     * values becomes at least one message per meter group), so that the targets always have the next
     * seconds of work at hand while the read-back waits, and never minutes of it.
     */
    static final long BEHIND_MESSAGES = 128;
    /** A consumer that acknowledged nothing for this long is not taking readings. */
    static final Duration TAKING_WITHIN = Duration.ofSeconds(10);
    static final Duration REFRESH = Duration.ofMillis(200);

    private final BufferQueues queues;
    private final List<String> names;
    private final Clock clock;
    private final Map<String, Taken> taken = new HashMap<>();
    private Instant checkedAt = Instant.MIN;
    private boolean behind;

    /** @param names the delivery queues: each target's, and the link's to the central */
    public TargetBacklog(BufferQueues queues, List<String> names, Clock clock) {
        this.queues = queues;
        this.names = List.copyOf(names);
        this.clock = clock;
    }

    @Override
    public synchronized boolean behind() {
        Instant now = clock.instant();
        if (now.isBefore(checkedAt.plus(REFRESH))) {
            return behind;
        }
        checkedAt = now;
        boolean any = false;
        for (String queue : names) {
            boolean taking = taking(queue, now);
            any |= taking && queues.messageCount(queue) >= BEHIND_MESSAGES;
        }
        behind = any;
        return behind;
    }

    /** Whether the queue's consumer acknowledged a message lately; every queue is asked, to keep its record current. */
    private boolean taking(String queue, Instant now) {
        long acknowledged = queues.messagesAcknowledged(queue);
        Taken last = taken.get(queue);
        if (last == null || acknowledged != last.count()) {
            // the first look counts as taking: a read-back at the start waits at most TAKING_WITHIN for a dead target
            taken.put(queue, new Taken(acknowledged, now));
            return true;
        }
        return now.isBefore(last.at().plus(TAKING_WITHIN));
    }

    /** A queue's acknowledged count, and when it was seen to change. */
    private record Taken(long count, Instant at) {
    }
}
