package io.busbar.routes.source;

import java.time.Duration;

/**
 * Whether a read-back may read more of a server's history now ({@link Backfiller}): asked before
 * each history read it starts, once its first slice showed that every node it reads has history
 * (from its first read when the server's last read-back showed it).
 */
interface ReadBackPace {

    ReadBackPace NONE = () -> true;

    boolean mayRead();

    /** The read-back waited this long for its turn before reading on (or giving up). */
    default void waited(Duration time) {
    }
}
