package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.util.List;
import java.util.Map;

/**
 * What a raw history read returned, node by node: the values of every node the server answered,
 * and the status of every node it did not. One node without history (a server that historizes
 * energy registers but not instantaneous power) never costs the others their values.
 *
 * @param samples     the values node by node in request order, each node's in time order
 * @param failedNodes the OPC UA status code of each node whose history could not be read, in
 *                    request order (e.g. {@code Bad_HistoryOperationUnsupported}, {@code Bad_NodeIdUnknown})
 */
public record HistoryResult(List<RawSample> samples, Map<String, Long> failedNodes) {

    public HistoryResult {
        samples = samples instanceof SampleColumns columns ? columns : List.copyOf(samples); // columns are read-only
        failedNodes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failedNodes));
    }
}
