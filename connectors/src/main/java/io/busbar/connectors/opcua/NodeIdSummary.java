package io.busbar.connectors.opcua;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Names many node ids in a line of bounded length: a server with 400 meter nodes that all fail the
 * same way must not produce a 10 kB log line or health entry.
 */
public final class NodeIdSummary {

    /** How many node ids a summary names before it only counts the rest. */
    public static final int NAMED = 5;

    private NodeIdSummary() {}

    /** {@code ns=2;s=A, ns=2;s=B, ns=2;s=C, ns=2;s=D, ns=2;s=E and 195 more}, in iteration order. */
    public static String of(Collection<String> nodeIds) {
        String named = nodeIds.stream().limit(NAMED).collect(Collectors.joining(", "));
        int rest = nodeIds.size() - NAMED;
        return rest > 0 ? named + " and " + rest + " more" : named;
    }
}
