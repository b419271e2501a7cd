package io.busbar.routes.source;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a backfill did, for health and logs: the pair's last one, unless a later one {@link
 * #addsNothingTo added nothing} to it.
 *
 * @param server    the server whose history was read
 * @param from      start of the window read (after capping)
 * @param to        end of the window
 * @param readings  readings forwarded from history (overlap already removed)
 * @param truncated true when the gap was longer than the cap and its oldest part is lost
 * @param unfilled  how much of the gap was known not to be filled when the backfill ended (cut by the
 *                  cap, no history and no live value to fill it); a gap whose end only a node's next
 *                  live value shows is added to the pair's holes when that value comes
 * @param problem   why the gap is not (fully) filled, empty when it is
 * @param nodesWithoutHistory how many nodes the server could not read back (the partner's live
 *                  stream may still have filled them: {@code unfilled} says what is missing)
 */
public record BackfillReport(String server, Instant from, Instant to, long readings, boolean truncated,
                             Duration unfilled, Optional<String> problem, int nodesWithoutHistory) {

    /**
     * A follow-up of {@code previous} that only confirms it: the same server, nothing read, nothing
     * left unfilled, and no problem other than the one {@code previous} reported (a server without
     * history for some nodes says so at every round).
     */
    public boolean addsNothingTo(BackfillReport previous) {
        return server.equals(previous.server) && readings == 0 && !truncated && unfilled.isZero()
                && problem.equals(previous.problem) && nodesWithoutHistory == previous.nodesWithoutHistory;
    }
}
