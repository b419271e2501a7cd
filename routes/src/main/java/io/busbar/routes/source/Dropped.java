package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;

/**
 * What a live batch dropped before the pair's loop held: its nodes and its newest source time, so the
 * read-back reads that batch's time of those nodes instead of every node up to now. A read-back of
 * every node at 10,000 tags × 10 Hz, while the queued live stream lagged seconds behind, read
 * 600,000 values the live stream was about to bring anyway, for one dropped publish (bench, 2026-12-05).
 * The nodes are bits by {@link NodeSlots slot}: a list of node ids per dropped batch, added to a set
 * on the loop, was a sixth of the loop's time while it dropped (bench profile, 2026-12-05).
 *
 * @param slots  the batch's nodes of the pair
 * @param newest its newest source time; null when none had one (then the read goes up to now)
 */
record Dropped(BitSet slots, Instant newest) {

    static Dropped of(List<RawSample> batch, NodeSlots nodes) {
        SampleColumns columns = SampleColumns.of(batch);
        BitSet slots = new BitSet(nodes.size());
        int newestIndex = -1;
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < columns.size(); i++) {
            int slot = nodes.slotOf(columns.nodeId(i), columns.slot(i));
            if (slot >= 0) {
                slots.set(slot);
            }
            long at = columns.sourceNanos(i);
            if (at != Long.MIN_VALUE && at > newest) {
                newest = at;
                newestIndex = i;
            }
        }
        return new Dropped(slots, newestIndex < 0 ? null : columns.sourceTime(newestIndex));
    }
}
