package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.ForwardGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a live batch before it is forwarded: whether it jumps past a slot of a node with a steady
 * {@link NodeCadence cadence}. A server whose update was late sets two slots before its sampling saw
 * the first, and the forward-once gate, once past the second, would never admit the first: the
 * skipped slot must be read back from history before the batch goes. Read back at most every
 * {@link #READBACK_PERIOD}; a skip within it is forwarded as it is and the slot recorded as a hole.
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
    private final Completeness completeness;
    private final PairMeters meters;
    private Instant lastReadBack;

    SlotSkips(String pair, Clock clock, NodeCadence cadence, ForwardGate gate, Completeness completeness,
              PairMeters meters) {
        this.pair = pair;
        this.clock = clock;
        this.cadence = cadence;
        this.gate = gate;
        this.completeness = completeness;
        this.meters = meters;
    }

    /**
     * @return true when the batch skips a slot that is to be read back from history before it;
     *         false when it is to be forwarded now (it skips nothing, or the skip is a recorded hole)
     */
    boolean readBackFirst(ServerRole role, List<RawSample> batch) {
        return readBackFirst(role, batch, Set.of());
    }

    /**
     * @param judged nodes whose gap before this batch is judged elsewhere: a read-back that just
     *               failed for them has recorded it as a hole, or will when their next value comes
     */
    boolean readBackFirst(ServerRole role, List<RawSample> batch, Set<String> judged) {
        // looked up only for nodes with a cadence; no map per batch (bench profile)
        RawSample skip = cadence.firstSkip(batch, node -> {
            ForwardGate.Mark mark = judged.contains(node) ? null : gate.find(node);
            return mark == null ? null : mark.forwarded();
        });
        if (skip == null) {
            return false;
        }
        meters.skippedSlots.increment();
        Instant now = clock.instant();
        if (lastReadBack != null && now.isBefore(lastReadBack.plus(READBACK_PERIOD))) {
            Instant from = gate.lastForwarded(skip.nodeId()).orElse(null);
            completeness.record(new Hole(from, skip.sourceTime(), 1, role.wireName(),
                    "the live stream skipped " + skip.nodeId() + " while a read-back had just run"));
            return false;
        }
        lastReadBack = now;
        log.info("Source pair {}: the {} server's live stream skipped a slot of {} (last forwarded {}, next {});"
                + " reading it back from history", pair, role.wireName(), skip.nodeId(),
                gate.lastForwarded(skip.nodeId()).orElse(null), skip.sourceTime());
        return true;
    }
}
