package io.busbar.connectors.opcua.browse;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many nodes one Browse and one Read request may carry: ours, lowered to the server's
 * MaxNodesPerBrowse / MaxNodesPerRead where it states them (0 means it has no limit).
 */
record OperationLimits(int nodesPerBrowse, int nodesPerRead) {

    static final int MAX_NODES_PER_BROWSE = 100;
    static final int MAX_NODES_PER_READ = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(OperationLimits.class);

    static OperationLimits of(OpcUaClient client, String endpoint) {
        try {
            var limits = client.getOperationLimits();
            return new OperationLimits(limited(MAX_NODES_PER_BROWSE, limits.maxNodesPerBrowse().orElse(null)),
                    limited(MAX_NODES_PER_READ, limits.maxNodesPerRead().orElse(null)));
        } catch (UaException | RuntimeException e) {
            LOG.debug("{}: no operation limits ({}), using defaults", endpoint, MiloConnection.describe(e));
            return new OperationLimits(MAX_NODES_PER_BROWSE, MAX_NODES_PER_READ);
        }
    }

    private static int limited(int ours, UInteger servers) {
        return servers == null || servers.longValue() == 0 ? ours : (int) Math.min(ours, servers.longValue());
    }
}
