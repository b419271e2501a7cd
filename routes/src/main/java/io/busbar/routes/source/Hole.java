package io.busbar.routes.source;

import java.time.Duration;
import java.time.Instant;

/**
 * Source time that neither history nor a server's live stream could fill: readings that no target
 * will ever receive. Shown in health so that an operator can see what was lost, and when.
 *
 * @param from   the newest source time forwarded before the gap (the earliest over its nodes)
 * @param to     the first source time forwarded after it (the latest over its nodes)
 * @param nodes  how many nodes lack values in it
 * @param server the server whose history was asked
 * @param reason why it could not be filled, e.g. the server keeps no history for the nodes
 */
public record Hole(Instant from, Instant to, int nodes, String server, String reason) {

    public Duration length() {
        return Duration.between(from, to);
    }
}
