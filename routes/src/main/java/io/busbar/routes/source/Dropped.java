package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a live batch dropped before the pair's loop held: its nodes and its newest source time, so the
 * read-back reads that batch's time of those nodes instead of every node up to now. A read-back of
 * every node at 10,000 tags × 10 Hz, while the queued live stream lagged seconds behind, read
 * 600,000 values the live stream was about to bring anyway, for one dropped publish (bench, 2026-12-05).
 *
 * @param nodes  the nodes of the batch
 * @param newest its newest source time; null when none had one (then the read goes up to now)
 */
record Dropped(List<String> nodes, Instant newest) {

    static Dropped of(List<RawSample> batch) {
        List<String> nodes = new ArrayList<>(batch.size());
        Instant[] newest = {null};
        SampleColumns.scan(batch, (index, nodeId, at, statusCode) -> {
            nodes.add(nodeId);
            if (at != null && (newest[0] == null || at.isAfter(newest[0]))) {
                newest[0] = at;
            }
        });
        return new Dropped(nodes, newest[0]);
    }
}
