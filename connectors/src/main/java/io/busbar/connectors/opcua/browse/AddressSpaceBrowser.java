package io.busbar.connectors.opcua.browse;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.BrowsedNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browses an OPC UA server's address space: follows the forward hierarchical references (Organizes,
 * HasComponent, ... and their subtypes) from a root node, breadth first, and reports the objects and
 * variables it finds with their browse paths, in address-space order (depth first, each node's
 * children in the server's order).
 *
 * <ul>
 *   <li>{@link #browse()}: every variable below the root with its data type, engineering units (the
 *       {@code EngineeringUnits} property of an AnalogItemType) and description — what
 *       {@code busbar discover} writes a mapping skeleton from.</li>
 *   <li>{@link #browseNodes(Collection)}: every object and variable below browse-path prefixes, as
 *       {@link io.busbar.mappings.Mapping#resolve(List)} needs them to expand browse templates; fails
 *       rather than answer incompletely.</li>
 * </ul>
 *
 * <p>Each call opens its own session, connected exactly like {@link io.busbar.connectors.opcua.OpcUaSource}
 * (same options, security and PKI directory), and closes it before returning. Requests carry up to
 * 100 nodes (or the server's MaxNodesPerBrowse) and continuation points are followed with
 * BrowseNext, so large address spaces take few round trips. A node reachable on several paths is
 * reported once, on the shortest; loops are not followed twice. Properties (HasProperty) are not
 * reported as variables. Nodes of namespace 0 (the standard {@code Server} object and its
 * diagnostics) are skipped unless the root or prefix names such a node itself.
 *
 * <p>Blocking; not for a Milo callback thread. Thread-safe: calls share nothing.
 */
public final class AddressSpaceBrowser {

    /** The Objects folder, the default root. */
    public static final String OBJECTS_FOLDER = "i=85";
    /** Default safety limit: objects and variables found before browsing stops. */
    public static final int DEFAULT_MAX_NODES = 1_000_000;
    static final int DEFAULT_MAX_REFERENCES_PER_NODE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AddressSpaceBrowser.class);
    private static final String SESSION_NAME = "busbar-browse";
    private static final int MAX_NODES_PER_BROWSE = 100;
    private static final int MAX_NODES_PER_READ = 1000;
    private static final int MAX_PATH_DEPTH = 64;
    private static final String ENGINEERING_UNITS = "EngineeringUnits";
    private static final ViewDescription WHOLE_ADDRESS_SPACE =
            new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));
    private static final UInteger OBJECTS_AND_VARIABLES = uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue());
    private static final UInteger ALL_NODE_CLASSES = uint(0);

    private final OpcUaSourceOptions options;
    private final NodeId root;
    private final int maxNodes;
    private final BrowseProgress progress;
    private final int maxReferencesPerNode;

    private AddressSpaceBrowser(Builder builder) {
        this.options = builder.options;
        this.root = builder.root;
        this.maxNodes = builder.maxNodes;
        this.progress = builder.progress;
        this.maxReferencesPerNode = builder.maxReferencesPerNode;
    }

    /** Root the Objects folder, at most {@link #DEFAULT_MAX_NODES} nodes, no progress reports. */
    public static Builder builder(OpcUaSourceOptions options) {
        return new Builder(options);
    }

    /**
     * Every variable below the root, with data type, engineering units and description. Stops at the
     * max-nodes limit and says so in {@link BrowseResult#truncated()}.
     *
     * @throws BrowseException if the server cannot be reached, refuses the session, or has no such root
     */
    public BrowseResult browse() throws BrowseException {
        long started = System.nanoTime();
        try (MiloConnection connection = MiloConnection.open(options, SESSION_NAME)) {
            Session session = new Session(connection.client());
            try {
                RootNode start = session.root(root);
                Walk walk = session.walk(List.of(start.pending()));
                List<FoundVariable> variables = session.describe(walk);
                return new BrowseResult(root.toParseableString(), start.path(), variables, walk.inTreeOrder(),
                        walk.visitedCount, walk.truncated, Duration.ofNanos(System.nanoTime() - started),
                        connection.endpointUrl());
            } catch (UaException | RuntimeException e) {
                throw failed(e);
            }
        }
    }

    /**
     * Every object and variable at or below the given browse-path prefixes (e.g. {@code Objects/Meters};
     * the empty prefix is the whole Objects folder), as {@link io.busbar.mappings.BrowsedNode}s for
     * {@link io.busbar.mappings.Mapping#resolve(List)}. The builder's root is not used. A prefix the
     * server does not have contributes nothing (resolving then names the missing browse paths).
     *
     * @param prefixes e.g. {@link io.busbar.mappings.Mapping#browsePrefixes()}
     * @throws BrowseException if the server cannot be reached, or the prefixes hold more than the
     *     max-nodes limit (an incomplete address space would silently drop meters)
     */
    public List<BrowsedNode> browseNodes(Collection<String> prefixes) throws BrowseException {
        List<String> wanted = outermost(prefixes);
        if (wanted.isEmpty()) {
            return List.of();
        }
        try (MiloConnection connection = MiloConnection.open(options, SESSION_NAME)) {
            Session session = new Session(connection.client());
            try {
                List<Pending> starts = new ArrayList<>();
                List<BrowsedNode> found = new ArrayList<>();
                for (String prefix : wanted) {
                    for (Pending start : session.find(prefix)) {
                        starts.add(start);
                        found.add(new BrowsedNode(start.path(), start.nodeId().toParseableString()));
                    }
                }
                Walk walk = session.walk(starts);
                if (walk.truncated) {
                    throw new BrowseException("more than " + maxNodes + " nodes below " + String.join(", ", wanted)
                            + " on " + options.endpointUrl() + "; raise the max-nodes limit or narrow the browse paths");
                }
                found.addAll(walk.inTreeOrder());
                return found;
            } catch (UaException | RuntimeException e) {
                throw failed(e);
            }
        }
    }

    /** Each prefix once, the empty one as {@code Objects}, prefixes below another left out. */
    static List<String> outermost(Collection<String> prefixes) {
        Set<String> normalized = new LinkedHashSet<>();
        for (String prefix : prefixes) {
            normalized.add(prefix.isEmpty() ? BrowsePaths.OBJECTS : prefix);
        }
        List<String> outermost = new ArrayList<>();
        for (String prefix : normalized) {
            boolean below = normalized.stream()
                    .anyMatch(other -> !other.equals(prefix) && BrowsePaths.isAtOrBelow(prefix, other));
            if (!below) {
                outermost.add(prefix);
            }
        }
        return outermost;
    }

    private BrowseException failed(Exception e) {
        return new BrowseException("browsing " + options.endpointUrl() + " failed: " + MiloConnection.describe(e), e);
    }

    /**
     * A node whose children are still to be browsed.
     *
     * @param index its place in {@link Walk#nodes}, -1 for a start node
     */
    private record Pending(NodeId nodeId, String path, boolean variable, boolean standardNodesAllowed, int index) {
    }

    private record RootNode(Pending pending, String path) {
    }

    /** Receives the references of node {@code index} of a browse request, page by page. */
    @FunctionalInterface
    private interface ReferenceConsumer {
        /** @return false to stop: the remaining continuation points are released */
        boolean accept(int index, ReferenceDescription reference);
    }

    /** What one walk found, in the order found (breadth first). */
    private static final class Walk {
        final Set<NodeId> visited = new HashSet<>();
        final List<BrowsedNode> nodes = new ArrayList<>();
        final List<NodeId> ids = new ArrayList<>();
        /** Per node the index of its parent in {@link #nodes}, -1 below a start node. */
        final List<Integer> parents = new ArrayList<>();
        final BitSet variables = new BitSet();
        /** Variable → its EngineeringUnits property. */
        final Map<NodeId, NodeId> engineeringUnits = new HashMap<>();
        int visitedCount;
        boolean truncated;

        /**
         * The indexes of the nodes in address-space order: depth first, each node's children in the
         * order the server listed them (so Meters/M1/Energy comes before Meters/M2 and before the
         * next folder next to Meters, however deep each lies).
         */
        int[] treeOrder() {
            int size = nodes.size();
            List<List<Integer>> children = new ArrayList<>(size);
            List<Integer> tops = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                children.add(null);
                int parent = parents.get(i);
                List<Integer> siblings = parent < 0 ? tops : children.get(parent);
                if (siblings == null) {
                    siblings = new ArrayList<>(2);
                    children.set(parent, siblings);
                }
                siblings.add(i);
            }
            int[] order = new int[size];
            int next = 0;
            Deque<Integer> stack = new ArrayDeque<>();
            for (int t = tops.size() - 1; t >= 0; t--) {
                stack.push(tops.get(t));
            }
            while (!stack.isEmpty()) {
                int node = stack.pop();
                order[next++] = node;
                List<Integer> below = children.get(node);
                if (below != null) {
                    for (int c = below.size() - 1; c >= 0; c--) {
                        stack.push(below.get(c));
                    }
                }
            }
            return order;
        }

        List<BrowsedNode> inTreeOrder() {
            List<BrowsedNode> ordered = new ArrayList<>(nodes.size());
            for (int index : treeOrder()) {
                ordered.add(nodes.get(index));
            }
            return ordered;
        }
    }

    /** One session's requests. */
    private final class Session {

        private final OpcUaClient client;
        private final NamespaceTable namespaces;
        private final int nodesPerBrowse;
        private final int nodesPerRead;

        Session(OpcUaClient client) {
            this.client = client;
            this.namespaces = client.getNamespaceTable();
            int perBrowse = MAX_NODES_PER_BROWSE;
            int perRead = MAX_NODES_PER_READ;
            try {
                var limits = client.getOperationLimits();
                perBrowse = limited(perBrowse, limits.maxNodesPerBrowse().orElse(null));
                perRead = limited(perRead, limits.maxNodesPerRead().orElse(null));
            } catch (UaException | RuntimeException e) {
                LOG.debug("{}: no operation limits ({}), using defaults", options.endpointUrl(), MiloConnection.describe(e));
            }
            this.nodesPerBrowse = perBrowse;
            this.nodesPerRead = perRead;
        }

        /** The root with its browse path; fails when the server does not know it. */
        RootNode root(NodeId nodeId) throws UaException, BrowseException {
            List<DataValue> values = read(List.of(
                    new ReadValueId(nodeId, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE),
                    new ReadValueId(nodeId, AttributeId.NodeClass.uid(), null, QualifiedName.NULL_VALUE)));
            StatusCode status = values.get(0).getStatusCode();
            if (status != null && !status.isGood()) {
                throw new BrowseException("the root node " + nodeId.toParseableString() + " is not in the address space of "
                        + options.endpointUrl() + " (" + MiloConnection.statusName(status.value()) + ")");
            }
            Object nodeClass = good(values.get(1));
            boolean variable = nodeClass == NodeClass.Variable
                    || nodeClass instanceof Integer value && value == NodeClass.Variable.getValue();
            String path = nodeId.equals(NodeIds.ObjectsFolder) ? BrowsePaths.OBJECTS
                    : pathOf(nodeId, nameOf(values.get(0).getValue().getValue()));
            boolean standard = nodeId.getNamespaceIndex().intValue() == 0 && !nodeId.equals(NodeIds.ObjectsFolder);
            return new RootNode(new Pending(nodeId, path, variable, standard, -1), path);
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
                browse(List.of(current), BrowseDirection.Inverse, ALL_NODE_CLASSES, (index, reference) -> {
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
                names.add(nameOf(parent[0].getBrowseName()));
            }
            StringBuilder path = new StringBuilder();
            for (int i = names.size() - 1; i >= 0; i--) {
                path.append(BrowsePaths.escape(names.get(i))).append(i > 0 ? "/" : "");
            }
            return path.toString();
        }

        /** The nodes at a browse path (several when siblings share a browse name); none if absent. */
        List<Pending> find(String prefix) throws UaException {
            List<String> names = BrowsePaths.split(prefix);
            if (names.isEmpty() || !names.get(0).equals(BrowsePaths.OBJECTS)) {
                LOG.debug("{}: browse path {} does not start at Objects; nothing below it", options.endpointUrl(), prefix);
                return List.of();
            }
            List<Pending> current = List.of(new Pending(NodeIds.ObjectsFolder, BrowsePaths.OBJECTS, false, false, -1));
            for (String name : names.subList(1, names.size())) {
                List<Pending> parents = current;
                List<Pending> next = new ArrayList<>();
                Set<NodeId> seen = new HashSet<>();
                browse(ids(parents), BrowseDirection.Forward, OBJECTS_AND_VARIABLES, (index, reference) -> {
                    NodeId target = reference.getNodeId().toNodeId(namespaces).orElse(null);
                    if (target != null && !isProperty(reference) && name.equals(nameOf(reference.getBrowseName()))
                            && seen.add(target)) {
                        Pending parent = parents.get(index);
                        next.add(new Pending(target, BrowsePaths.child(parent.path(), name),
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

        /** Breadth first below the start nodes, up to the max-nodes limit. */
        Walk walk(List<Pending> starts) throws UaException {
            Walk walk = new Walk();
            Deque<Pending> queue = new ArrayDeque<>();
            for (Pending start : starts) {
                if (walk.visited.add(start.nodeId())) {
                    queue.add(start);
                }
            }
            while (!queue.isEmpty() && !walk.truncated) {
                List<Pending> batch = new ArrayList<>(nodesPerBrowse);
                while (batch.size() < nodesPerBrowse && !queue.isEmpty()) {
                    batch.add(queue.poll());
                }
                browse(ids(batch), BrowseDirection.Forward, OBJECTS_AND_VARIABLES,
                        (index, reference) -> visit(walk, batch.get(index), reference, queue));
                progress.onProgress(walk.visitedCount, walk.variables.cardinality());
            }
            return walk;
        }

        /** @return false when the max-nodes limit is reached */
        private boolean visit(Walk walk, Pending parent, ReferenceDescription reference, Deque<Pending> queue) {
            if (!Boolean.TRUE.equals(reference.getIsForward())) {
                return true;
            }
            NodeId target = reference.getNodeId().toNodeId(namespaces).orElse(null);
            if (target == null) {
                return true; // on another server
            }
            String name = nameOf(reference.getBrowseName());
            if (isProperty(reference)) {
                if (parent.variable() && ENGINEERING_UNITS.equals(name)) {
                    walk.engineeringUnits.putIfAbsent(parent.nodeId(), target);
                }
                return true;
            }
            if (target.getNamespaceIndex().intValue() == 0 && !parent.standardNodesAllowed()) {
                return true;
            }
            if (walk.visited.contains(target)) {
                return true;
            }
            if (walk.visitedCount >= maxNodes) {
                walk.truncated = true;
                return false;
            }
            walk.visited.add(target);
            walk.visitedCount++;
            boolean variable = reference.getNodeClass() == NodeClass.Variable;
            String path = BrowsePaths.child(parent.path(), name);
            int index = walk.nodes.size();
            walk.nodes.add(new BrowsedNode(path, target.toParseableString()));
            walk.ids.add(target);
            walk.parents.add(parent.index());
            walk.variables.set(index, variable);
            queue.add(new Pending(target, path, variable, parent.standardNodesAllowed(), index));
            return true;
        }

        /** Data type, value rank, description and engineering units of every variable the walk found. */
        List<FoundVariable> describe(Walk walk) throws UaException {
            List<NodeId> variableIds = new ArrayList<>(walk.variables.cardinality());
            List<String> variablePaths = new ArrayList<>(walk.variables.cardinality());
            for (int index : walk.treeOrder()) {
                if (walk.variables.get(index)) {
                    variableIds.add(walk.ids.get(index));
                    variablePaths.add(walk.nodes.get(index).browsePath());
                }
            }
            List<ReadValueId> reads = new ArrayList<>(variableIds.size() * 3 + walk.engineeringUnits.size());
            for (NodeId variable : variableIds) {
                reads.add(new ReadValueId(variable, AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
                reads.add(new ReadValueId(variable, AttributeId.ValueRank.uid(), null, QualifiedName.NULL_VALUE));
                reads.add(new ReadValueId(variable, AttributeId.Description.uid(), null, QualifiedName.NULL_VALUE));
            }
            List<NodeId> withUnits = new ArrayList<>(walk.engineeringUnits.keySet());
            for (NodeId variable : withUnits) {
                reads.add(new ReadValueId(walk.engineeringUnits.get(variable), AttributeId.Value.uid(), null,
                        QualifiedName.NULL_VALUE));
            }
            List<DataValue> values = read(reads);

            Map<NodeId, String> units = new HashMap<>();
            int unitsAt = variableIds.size() * 3;
            for (int i = 0; i < withUnits.size(); i++) {
                String unit = engineeringUnits(values.get(unitsAt + i));
                if (unit != null) {
                    units.put(withUnits.get(i), unit);
                }
            }
            Map<NodeId, String> typeNames = dataTypeNames(values, variableIds.size());

            List<FoundVariable> variables = new ArrayList<>(variableIds.size());
            for (int v = 0; v < variableIds.size(); v++) {
                NodeId dataType = good(values.get(3 * v)) instanceof NodeId id ? id : null;
                Integer valueRank = good(values.get(3 * v + 1)) instanceof Integer rank ? rank : null;
                String description = good(values.get(3 * v + 2)) instanceof LocalizedText text ? blankToNull(text.getText()) : null;
                NodeId variable = variableIds.get(v);
                variables.add(new FoundVariable(variablePaths.get(v), variable.toParseableString(),
                        dataType == null ? null : typeNames.get(dataType),
                        dataType == null ? null : dataType.toParseableString(),
                        valueRank, units.get(variable), description));
            }
            return variables;
        }

        /** The browse names of the data types, read once each. */
        private Map<NodeId, String> dataTypeNames(List<DataValue> values, int variables) throws UaException {
            Set<NodeId> dataTypes = new LinkedHashSet<>();
            for (int v = 0; v < variables; v++) {
                if (good(values.get(3 * v)) instanceof NodeId id && !id.isNull()) {
                    dataTypes.add(id);
                }
            }
            List<NodeId> ordered = new ArrayList<>(dataTypes);
            List<ReadValueId> reads = new ArrayList<>(ordered.size());
            for (NodeId dataType : ordered) {
                reads.add(new ReadValueId(dataType, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE));
            }
            List<DataValue> names = read(reads);
            Map<NodeId, String> typeNames = new LinkedHashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                Object name = good(names.get(i));
                typeNames.put(ordered.get(i), name == null ? ordered.get(i).toParseableString() : nameOf(name));
            }
            return typeNames;
        }

        private String engineeringUnits(DataValue value) {
            Object unit = good(value);
            try {
                if (unit instanceof ExtensionObject encoded) {
                    unit = encoded.decode(client.getStaticEncodingContext());
                }
            } catch (RuntimeException e) {
                LOG.debug("{}: unreadable EngineeringUnits ({})", options.endpointUrl(), MiloConnection.describe(e));
                return null;
            }
            return unit instanceof EUInformation information && information.getDisplayName() != null
                    ? blankToNull(information.getDisplayName().getText())
                    : null;
        }

        /** Reads in requests of at most the server's MaxNodesPerRead; one value per id, in order. */
        private List<DataValue> read(List<ReadValueId> ids) throws UaException {
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

        /**
         * Browses the references of {@code nodes} (at most nodesPerBrowse), following continuation
         * points; a node whose browse fails is logged and skipped.
         */
        private void browse(List<NodeId> nodes, BrowseDirection direction, UInteger nodeClasses, ReferenceConsumer consumer)
                throws UaException {
            List<BrowseDescription> descriptions = new ArrayList<>(nodes.size());
            for (NodeId node : nodes) {
                descriptions.add(new BrowseDescription(node, direction, NodeIds.HierarchicalReferences, true, nodeClasses,
                        uint(BrowseResultMask.All.getValue())));
            }
            BrowseResponse response = client.browse(WHOLE_ADDRESS_SPACE, uint(maxReferencesPerNode), descriptions);
            org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult[] results = response.getResults();
            if (results == null || results.length != nodes.size()) {
                throw new UaException(StatusCode.BAD.value(), "the server answered a browse of " + nodes.size()
                        + " nodes with " + (results == null ? 0 : results.length) + " results");
            }
            List<Integer> pendingIndexes = new ArrayList<>();
            List<ByteString> continuationPoints = new ArrayList<>();
            boolean more = accept(nodes, results, null, consumer, pendingIndexes, continuationPoints);
            while (!continuationPoints.isEmpty()) {
                if (!more) {
                    client.browseNext(true, continuationPoints);
                    return;
                }
                List<Integer> indexes = List.copyOf(pendingIndexes);
                BrowseNextResponse next = client.browseNext(false, List.copyOf(continuationPoints));
                pendingIndexes.clear();
                continuationPoints.clear();
                org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult[] nextResults = next.getResults();
                if (nextResults == null || nextResults.length != indexes.size()) {
                    throw new UaException(StatusCode.BAD.value(), "the server answered a browse-next of " + indexes.size()
                            + " continuation points with " + (nextResults == null ? 0 : nextResults.length) + " results");
                }
                more = accept(nodes, nextResults, indexes, consumer, pendingIndexes, continuationPoints);
            }
        }

        /** Hands one page of results to the consumer and collects the continuation points. */
        private boolean accept(List<NodeId> nodes, org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult[] results,
                               List<Integer> indexes, ReferenceConsumer consumer, List<Integer> pendingIndexes,
                               List<ByteString> continuationPoints) {
            boolean more = true;
            for (int r = 0; r < results.length; r++) {
                int index = indexes == null ? r : indexes.get(r);
                org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult result = results[r];
                StatusCode status = result.getStatusCode();
                if (status != null && status.isBad()) {
                    LOG.warn("{}: could not browse {} ({}); skipped", options.endpointUrl(),
                            nodes.get(index).toParseableString(), MiloConnection.statusName(status.value()));
                    continue;
                }
                ReferenceDescription[] references = result.getReferences();
                if (more && references != null) {
                    for (ReferenceDescription reference : references) {
                        if (!consumer.accept(index, reference)) {
                            more = false;
                            break;
                        }
                    }
                }
                ByteString continuationPoint = result.getContinuationPoint();
                if (continuationPoint != null && !continuationPoint.isNull() && continuationPoint.length() > 0) {
                    pendingIndexes.add(index);
                    continuationPoints.add(continuationPoint);
                }
            }
            return more;
        }
    }

    private static boolean isProperty(ReferenceDescription reference) {
        return NodeIds.HasProperty.equals(reference.getReferenceTypeId())
                || reference.getTypeDefinition() != null && reference.getTypeDefinition().equals(NodeIds.PropertyType.expanded());
    }

    private static List<NodeId> ids(List<Pending> pending) {
        List<NodeId> ids = new ArrayList<>(pending.size());
        pending.forEach(p -> ids.add(p.nodeId()));
        return ids;
    }

    private static String nameOf(Object browseName) {
        if (browseName instanceof QualifiedName name) {
            return Objects.requireNonNullElse(name.getName(), "");
        }
        return browseName == null ? "" : browseName.toString();
    }

    private static Object good(DataValue value) {
        StatusCode status = value.getStatusCode();
        if (status != null && !status.isGood()) {
            return null;
        }
        return value.getValue() == null ? null : value.getValue().getValue();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static int limited(int ours, UInteger servers) {
        return servers == null || servers.longValue() == 0 ? ours : (int) Math.min(ours, servers.longValue());
    }

    /** Settings of a browser; {@link #build()} checks them. */
    public static final class Builder {

        private final OpcUaSourceOptions options;
        private NodeId root = NodeIds.ObjectsFolder;
        private int maxNodes = DEFAULT_MAX_NODES;
        private BrowseProgress progress = BrowseProgress.NONE;
        private int maxReferencesPerNode = DEFAULT_MAX_REFERENCES_PER_NODE;

        private Builder(OpcUaSourceOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        /**
         * Where {@link #browse()} starts, in OPC UA text form, e.g. {@code ns=2;s=Meters}; default
         * the Objects folder ({@value #OBJECTS_FOLDER}).
         *
         * @throws IllegalArgumentException if it is not a NodeId
         */
        public Builder root(String nodeId) {
            NodeId parsed = NodeId.parseOrNull(Objects.requireNonNull(nodeId, "nodeId"));
            if (parsed == null) {
                throw new IllegalArgumentException("not an OPC UA NodeId: '" + nodeId
                        + "' (write e.g. i=85 or ns=2;s=Meters)");
            }
            this.root = parsed;
            return this;
        }

        /** The most objects and variables to find before stopping; default {@value #DEFAULT_MAX_NODES}. */
        public Builder maxNodes(int maxNodes) {
            if (maxNodes < 1) {
                throw new IllegalArgumentException("maxNodes must be positive, was " + maxNodes);
            }
            this.maxNodes = maxNodes;
            return this;
        }

        /** Told after every browse request how many nodes were found so far. */
        public Builder progress(BrowseProgress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** References per node in one response; more come with BrowseNext. Small values test paging. */
        Builder maxReferencesPerNode(int maxReferencesPerNode) {
            if (maxReferencesPerNode < 1) {
                throw new IllegalArgumentException("maxReferencesPerNode must be positive, was " + maxReferencesPerNode);
            }
            this.maxReferencesPerNode = maxReferencesPerNode;
            return this;
        }

        public AddressSpaceBrowser build() {
            return new AddressSpaceBrowser(this);
        }
    }
}
