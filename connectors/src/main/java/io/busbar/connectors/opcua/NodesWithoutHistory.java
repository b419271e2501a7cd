package io.busbar.connectors.opcua;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of one server whose history the server refuses for good ({@code
 * Bad_HistoryOperationUnsupported}, {@code Bad_NodeIdUnknown} ...), learnt from the history reads,
 * and the log lines about them. A server that historizes energy registers but not power answers
 * the same for the same nodes at every backfill: that is said once, in one line of bounded length,
 * and again only for nodes that join or leave the set. Transient failures that outlasted the
 * retries are not a property of the node: they are logged for each read and not kept.
 */
final class NodesWithoutHistory {

    private static final Logger LOG = LoggerFactory.getLogger(NodesWithoutHistory.class);

    private final String source;
    /** Node id to status, in the order they were found; guarded by this. */
    private final Map<String, Long> nodes = new LinkedHashMap<>();

    NodesWithoutHistory(String source) {
        this.source = source;
    }

    /** Takes in what one read of {@code requested} returned. */
    synchronized void record(Collection<String> requested, HistoryResult result) {
        Map<Long, List<String>> found = new LinkedHashMap<>();
        Map<Long, List<String>> gaveUp = new LinkedHashMap<>();
        List<String> recovered = new ArrayList<>();
        for (String nodeId : new LinkedHashSet<>(requested)) {
            Long status = result.failedNodes().get(nodeId);
            if (status == null) {
                if (nodes.remove(nodeId) != null) {
                    recovered.add(nodeId);
                }
            } else if (HistoryReader.isTransient(status)) {
                gaveUp.computeIfAbsent(status, any -> new ArrayList<>()).add(nodeId);
            } else if (!status.equals(nodes.put(nodeId, status))) {
                found.computeIfAbsent(status, any -> new ArrayList<>()).add(nodeId);
            }
        }
        found.forEach((status, ids) -> LOG.warn("{}: {} node(s) have no history ({}): {}",
                source, ids.size(), StatusCodeNames.describe(status), NodeIdSummary.of(ids)));
        gaveUp.forEach((status, ids) -> LOG.warn("{}: the history of {} node(s) could not be read, {} attempts ({}): {}",
                source, ids.size(), HistoryReader.MAX_ATTEMPTS, StatusCodeNames.describe(status), NodeIdSummary.of(ids)));
        if (!recovered.isEmpty()) {
            LOG.info("{}: {} node(s) have history again: {}", source, recovered.size(), NodeIdSummary.of(recovered));
        }
    }

    /** Node id to the status its history is refused with, in the order they were found. */
    synchronized Map<String, Long> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }
}
