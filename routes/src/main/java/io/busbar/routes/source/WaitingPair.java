package io.busbar.routes.source;

import java.time.Instant;

/**
 * A source pair that cannot start yet, and why: its mapping has browse templates, and no server of
 * the pair could be browsed to resolve them. It keeps trying in the background.
 *
 * @param name          the pair
 * @param reason        the last attempt's failure, per server, in one line
 * @param since         when the pair began to wait
 * @param attempts      attempts so far
 * @param nextAttemptAt when it tries again
 */
public record WaitingPair(String name, String reason, Instant since, int attempts, Instant nextAttemptAt) {
}
