package io.busbar.connectors.opcua.browse;

import io.busbar.mappings.model.BrowsedNode;
import java.time.Duration;
import java.util.List;

/**
 * What {@link AddressSpaceBrowser#browse()} found below its root.
 *
 * @param rootNodeId   the root in OPC UA text form, e.g. {@code i=85}
 * @param rootPath     the root's browse path, e.g. {@code Objects} or {@code Objects/Meters}
 * @param variables    the variables, properties left out, in address-space order: depth first, each
 *                     node's children in the order the server lists them
 * @param nodes        every object and variable found, in the same order, as the mappings module
 *                     resolves templates with
 * @param nodesVisited how many nodes were found (the root not counted)
 * @param truncated    true when browsing stopped at the max-nodes limit: more nodes exist
 * @param elapsed      how long it took, connection included
 * @param endpointUrl  the endpoint the session used: the given URL, or the server's endpoint found
 *                     from it when it lacked the server's path
 */
public record BrowseResult(String rootNodeId, String rootPath, List<FoundVariable> variables, List<BrowsedNode> nodes,
                           int nodesVisited, boolean truncated, Duration elapsed, String endpointUrl) {

    public BrowseResult {
        variables = List.copyOf(variables);
        nodes = List.copyOf(nodes);
    }
}
