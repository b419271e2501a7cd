package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per server and node, the newest source time with a usable value: which nodes the active server
 * has gone silent on while its hot partner still streams them. A real server does this when it
 * deletes and re-creates a node (its monitored item stays dead) or when one of its drivers stops
 * updating a value; the session, the ServiceLevel and the other nodes all look fine.
 *
 * <p>Not thread-safe: owned by the pair's event loop.
 */
final class NodeLiveness {

    /** A silent node's item is created again at most this often. */
    static final Duration RECREATE_BACKOFF = Duration.ofSeconds(30);

    /** No good value seen yet. */
    private static final long NONE = Long.MIN_VALUE;

    private final long silentAfterNanos;
    private final NodeSlots slots;
    /** Per server, each node's newest good source time ({@link SampleColumns#sourceNanos}) by slot. */
    private final Map<ServerRole, long[]> newest = new EnumMap<>(ServerRole.class);
    private final Map<String, Instant> recreatedAt = new HashMap<>();

    /**
     * @param silentAfter how far a node may lag the partner's same node before it counts as silent
     * @param slots the pair's nodes; samples of other nodes are not tracked
     */
    NodeLiveness(Duration silentAfter, NodeSlots slots) {
        this.silentAfterNanos = silentAfter.toNanos();
        this.slots = slots;
        for (ServerRole role : ServerRole.values()) {
            long[] times = new long[slots.size()];
            Arrays.fill(times, NONE);
            newest.put(role, times);
        }
    }

    /** @return the newest source time in the batch with a value that is not Bad, or null */
    Instant observe(ServerRole role, List<RawSample> batch) {
        long[] times = newest.get(role);
        SampleColumns columns = SampleColumns.of(batch);
        int newestIndex = -1;
        long batchNewest = NONE;
        for (int i = 0; i < columns.size(); i++) {
            long at = columns.sourceNanos(i);
            if (at != NONE && (columns.statusCode(i) >>> 30) != 2) {
                int slot = slots.slotOf(columns.nodeId(i), columns.slot(i));
                if (slot >= 0 && at > times[slot]) {
                    times[slot] = at;
                }
                if (at > batchNewest) {
                    batchNewest = at;
                    newestIndex = i;
                }
            }
        }
        return newestIndex < 0 ? null : columns.sourceTime(newestIndex);
    }

    /** Nodes whose newest value on {@code active} lags the same node on {@code partner} by more than silentAfter. */
    Set<String> silentOn(ServerRole active, ServerRole partner, List<String> nodeIds) {
        long[] mine = newest.get(active);
        long[] theirs = newest.get(partner);
        Set<String> silent = new LinkedHashSet<>();
        for (int i = 0; i < nodeIds.size(); i++) {
            String node = nodeIds.get(i);
            int slot = slots.slotOf(node, i); // the pair's own list mostly: its index is the slot
            if (slot < 0) {
                continue;
            }
            long partnerAt = theirs[slot];
            long activeAt = mine[slot];
            // partnerAt > activeAt: their difference is exact read unsigned, whatever the two times
            if (partnerAt != NONE && (activeAt == NONE
                    || partnerAt > activeAt && Long.compareUnsigned(partnerAt - activeAt, silentAfterNanos) > 0)) {
                silent.add(node);
            }
        }
        return silent;
    }

    /** Of the silent nodes, those whose items were not created again within the back-off; marks them. */
    List<String> dueForRecreate(Set<String> silent, Instant now) {
        List<String> due = new ArrayList<>();
        for (String node : silent) {
            Instant last = recreatedAt.get(node);
            if (last == null || !now.isBefore(last.plus(RECREATE_BACKOFF))) {
                recreatedAt.put(node, now);
                due.add(node);
            }
        }
        return due;
    }
}
