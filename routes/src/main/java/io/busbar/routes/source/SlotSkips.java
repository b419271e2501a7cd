package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.ForwardGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a live batch before it is forwarded: whether it jumps past a slot of a node with a steady
 * {@link NodeCadence cadence}. A server whose update was late sets two slots before its sampling saw
 * the first, and the forward-once gate, once past the second, would never admit the first: the
 * skipped slot must be read back from history before the batch goes. Read back at most every
 * {@link #READBACK_PERIOD}: a skip within it waits, with the live stream behind it, for the read-back
 * at the period's end. A stalling host stalls again within seconds; forwarding that second skip as a
 * hole lost a value history still had.
 *
 * <p>Asked for the live stream as it comes and for the batches held while a read-back ran (a skip
 * there, found after the read-back, starts another). Owned by the pair's loop.
 */
final class SlotSkips {

    private static final Logger log = LoggerFactory.getLogger(SlotSkips.class);
    /** A live stream that skipped a slot starts a read-back from history at most this often. */
    static final Duration READBACK_PERIOD = Duration.ofSeconds(5);

    private final String pair;
    private final Clock clock;
    private final NodeCadence cadence;
    private final ForwardGate gate;
    private final PairMeters meters;
    private Instant lastReadBack;

    SlotSkips(String pair, Clock clock, NodeCadence cadence, ForwardGate gate, PairMeters meters) {
        this.pair = pair;
        this.clock = clock;
        this.cadence = cadence;
        this.gate = gate;
        this.meters = meters;
    }

    /**
     * A read-back the batch needs first.
     *
     * @param in    how long from now it is to start (zero: at once), the batch held till then
     * @param nodes the nodes whose slots the batch skipped
     */
    record ReadBack(Duration in, Set<String> nodes) {
    }

    /** @return null when the batch is to be forwarded now (it skips nothing) */
    ReadBack readBackIn(ServerRole role, List<RawSample> batch) {
        return readBackIn(role, batch, Set.of());
    }

    /**
     * @param judged nodes whose gap before this batch is judged elsewhere: a read-back that just
     *               failed for them has recorded it as a hole, or will when their next value comes
     *               (or, never forwarded, they have no history to read a skipped slot from)
     */
    ReadBack readBackIn(ServerRole role, List<RawSample> batch, Set<String> judged) {
        // looked up only for nodes with a cadence; no map per batch (bench profile)
        List<RawSample> skipped = cadence.skips(batch, node -> {
            ForwardGate.Mark mark = gate.find(node);
            return mark == null ? null : mark.forwarded();
        });
        if (!judged.isEmpty()) {
            skipped.removeIf(sample -> judged.contains(sample.nodeId()));
        }
        if (skipped.isEmpty()) {
            return null;
        }
        RawSample skip = skipped.get(0);
        Set<String> nodes = new HashSet<>();
        skipped.forEach(sample -> nodes.add(sample.nodeId()));
        meters.skippedSlots.increment(nodes.size());
        Instant now = clock.instant();
        Instant due = lastReadBack == null || !now.isBefore(lastReadBack.plus(READBACK_PERIOD))
                ? now : lastReadBack.plus(READBACK_PERIOD);
        lastReadBack = due;
        Duration wait = Duration.between(now, due);
        log.info("Source pair {}: the {} server's live stream skipped a slot of {}{} (last forwarded {}, next {});"
                + " reading {} back from history{}", pair, role.wireName(), skip.nodeId(),
                nodes.size() > 1 ? " and " + (nodes.size() - 1) + " more node(s)" : "",
                gate.lastForwarded(skip.nodeId()).map(Instant::toString).orElse("nothing yet"), skip.sourceTime(), nodes.size() > 1 ? "them" : "it",
                wait.isZero() ? "" : " in " + wait.toMillis() + " ms, the stream waiting");
        return new ReadBack(wait, nodes);
    }
}
