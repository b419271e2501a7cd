package io.busbar.connectors.opcua.browse;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/** Reads attributes in requests of at most the server's MaxNodesPerRead; one value per id, in order. */
final class AttributeReader {

    private final OpcUaClient client;
    private final int nodesPerRead;

    AttributeReader(OpcUaClient client, int nodesPerRead) {
        this.client = client;
        this.nodesPerRead = nodesPerRead;
    }

    List<DataValue> read(List<ReadValueId> ids) throws UaException {
        List<DataValue> values = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += nodesPerRead) {
            List<ReadValueId> chunk = ids.subList(from, Math.min(ids.size(), from + nodesPerRead));
            DataValue[] results = client.read(0.0, TimestampsToReturn.Neither, chunk).getResults();
            if (results == null || results.length != chunk.size()) {
                throw new UaException(StatusCode.BAD.value(), "the server answered a read of " + chunk.size()
                        + " attributes with " + (results == null ? 0 : results.length) + " values");
            }
            values.addAll(List.of(results));
        }
        return values;
    }

    /** The value of a read that succeeded; null for a bad status or an empty value. */
    static Object good(DataValue value) {
        StatusCode status = value.getStatusCode();
        if (status != null && !status.isGood()) {
            return null;
        }
        return value.getValue() == null ? null : value.getValue().getValue();
    }
}
