package io.busbar.connectors.opcua.browse;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Between NodeIds and browse paths: a root node's path up to the Objects folder, the nodes at a path. */
final class BrowsePathResolver {

    /** A root node with its browse path. */
    record RootNode(PendingNode pending, String path) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(BrowsePathResolver.class);
    private static final int MAX_PATH_DEPTH = 64;
    private static final UInteger ALL_NODE_CLASSES = uint(0);

    private final ChunkBrowser browser;
    private final AttributeReader reader;
    private final NamespaceTable namespaces;
    private final String endpoint;

    BrowsePathResolver(ChunkBrowser browser, AttributeReader reader, NamespaceTable namespaces, String endpoint) {
        this.browser = browser;
        this.reader = reader;
        this.namespaces = namespaces;
        this.endpoint = endpoint;
    }

    /** The root with its browse path; fails when the server does not know it. */
    RootNode root(NodeId nodeId) throws UaException, BrowseException {
        List<DataValue> values = reader.read(List.of(
                new ReadValueId(nodeId, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE),
                new ReadValueId(nodeId, AttributeId.NodeClass.uid(), null, QualifiedName.NULL_VALUE)));
        StatusCode status = values.get(0).getStatusCode();
        if (status != null && !status.isGood()) {
            throw new BrowseException("the root node " + nodeId.toParseableString() + " is not in the address space of "
                    + endpoint + " (" + MiloConnection.statusName(status.value()) + ")");
        }
        Object nodeClass = AttributeReader.good(values.get(1));
        boolean variable = nodeClass == NodeClass.Variable
                || nodeClass instanceof Integer value && value == NodeClass.Variable.getValue();
        String path = nodeId.equals(NodeIds.ObjectsFolder) ? BrowsePaths.OBJECTS
                : pathOf(nodeId, References.nameOf(values.get(0).getValue().getValue()));
        boolean standard = nodeId.getNamespaceIndex().intValue() == 0 && !nodeId.equals(NodeIds.ObjectsFolder);
        return new RootNode(new PendingNode(nodeId, path, variable, standard, -1), path);
    }

    /**
     * The browse path of a node that is not the Objects folder: its parents' browse names up to the
     * Objects folder (the first parent each time). Ends at the topmost parent when the node does not
     * lie below the Objects folder.
     */
    private String pathOf(NodeId nodeId, String name) throws UaException {
        List<String> names = new ArrayList<>(List.of(name));
        NodeId current = nodeId;
        for (int depth = 0; depth < MAX_PATH_DEPTH; depth++) {
            ReferenceDescription[] parent = new ReferenceDescription[1];
            browser.browse(List.of(current), BrowseDirection.Inverse, ALL_NODE_CLASSES, (index, reference) -> {
                if (parent[0] == null && reference.getNodeId().toNodeId(namespaces).isPresent()) {
                    parent[0] = reference;
                }
                return parent[0] == null;
            });
            if (parent[0] == null) {
                break;
            }
            current = parent[0].getNodeId().toNodeId(namespaces).orElseThrow();
            if (current.equals(NodeIds.ObjectsFolder)) {
                names.add(BrowsePaths.OBJECTS);
                break;
            }
            names.add(References.nameOf(parent[0].getBrowseName()));
        }
        StringBuilder path = new StringBuilder();
        for (int i = names.size() - 1; i >= 0; i--) {
            path.append(BrowsePaths.escape(names.get(i))).append(i > 0 ? "/" : "");
        }
        return path.toString();
    }

    /** The nodes at a browse path (several when siblings share a browse name); none if absent. */
    List<PendingNode> find(String prefix) throws UaException {
        List<String> names = BrowsePaths.split(prefix);
        if (names.isEmpty() || !names.get(0).equals(BrowsePaths.OBJECTS)) {
            LOG.debug("{}: browse path {} does not start at Objects; nothing below it", endpoint, prefix);
            return List.of();
        }
        List<PendingNode> current = List.of(new PendingNode(NodeIds.ObjectsFolder, BrowsePaths.OBJECTS, false, false, -1));
        for (String name : names.subList(1, names.size())) {
            List<PendingNode> parents = current;
            List<PendingNode> next = new ArrayList<>();
            Set<NodeId> seen = new HashSet<>();
            browser.browse(PendingNode.ids(parents), BrowseDirection.Forward, AddressSpaceWalker.OBJECTS_AND_VARIABLES,
                    (index, reference) -> {
                        NodeId target = reference.getNodeId().toNodeId(namespaces).orElse(null);
                        if (target != null && !References.isProperty(reference)
                                && name.equals(References.nameOf(reference.getBrowseName())) && seen.add(target)) {
                            PendingNode parent = parents.get(index);
                            next.add(new PendingNode(target, BrowsePaths.child(parent.path(), name),
                                    reference.getNodeClass() == NodeClass.Variable,
                                    parent.standardNodesAllowed() || target.getNamespaceIndex().intValue() == 0, -1));
                        }
                        return true;
                    });
            current = next;
            if (current.isEmpty()) {
                break;
            }
        }
        return current;
    }
}
