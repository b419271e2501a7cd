package io.busbar.connectors.opcua.simulator;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;

/**
 * What the simulator's meter namespace and the tests' scripted address spaces have in common: plain
 * read-only variables, and HistoryRead answered node by node, so one node's failure is its own
 * result and not the whole request's (as real servers answer).
 */
public abstract class PlainNamespace extends ManagedNamespaceWithLifecycle {

    protected PlainNamespace(OpcUaServer server, String namespaceUri) {
        super(server, namespaceUri);
    }

    /** A variable clients read but cannot write, without history, added to this namespace's nodes. */
    protected UaVariableNode readOnlyVariable(String id, String name, NodeId dataType, Variant value) {
        return UaVariableNode.build(getNodeContext(), b -> b
                .setNodeId(newNodeId(id))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDataType(dataType)
                .setAccessLevel(EnumSet.of(AccessLevel.CurrentRead))
                .setUserAccessLevel(EnumSet.of(AccessLevel.CurrentRead))
                .setValue(new DataValue(value))
                .buildAndAdd());
    }

    @Override
    public List<HistoryReadResult> historyRead(
            HistoryReadContext context,
            HistoryReadDetails details,
            TimestampsToReturn timestamps,
            List<HistoryReadValueId> readValueIds) {
        List<HistoryReadResult> results = new ArrayList<>(readValueIds.size());
        for (HistoryReadValueId readValueId : readValueIds) {
            results.add(historyRead(details, timestamps, readValueId));
        }
        return results;
    }

    /** One node's history: unsupported, unless the namespace keeps some. */
    protected HistoryReadResult historyRead(
            HistoryReadDetails details, TimestampsToReturn timestamps, HistoryReadValueId readValueId) {
        return historyFailure(StatusCodes.Bad_HistoryOperationUnsupported);
    }

    protected static HistoryReadResult historyFailure(long statusCode) {
        return new HistoryReadResult(new StatusCode(statusCode), null, null);
    }
}
