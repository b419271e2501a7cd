package io.busbar.connectors.opcua.browse;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.model.BrowsedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

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

    private static final String SESSION_NAME = "busbar-browse";

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
            Steps steps = new Steps(connection.client());
            try {
                BrowsePathResolver.RootNode start = steps.paths.root(root);
                Walk walk = steps.walker.walk(List.of(start.pending()));
                List<FoundVariable> variables = steps.describer.describe(walk);
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
     * the empty prefix is the whole Objects folder), as {@link io.busbar.mappings.model.BrowsedNode}s for
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
            Steps steps = new Steps(connection.client());
            try {
                List<PendingNode> starts = new ArrayList<>();
                List<BrowsedNode> found = new ArrayList<>();
                for (String prefix : wanted) {
                    for (PendingNode start : steps.paths.find(prefix)) {
                        starts.add(start);
                        found.add(new BrowsedNode(start.path(), start.nodeId().toParseableString()));
                    }
                }
                Walk walk = steps.walker.walk(starts);
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

    /** The browse steps of one session, sized by the server's operation limits. */
    private final class Steps {

        final BrowsePathResolver paths;
        final AddressSpaceWalker walker;
        final VariableDescriber describer;

        Steps(OpcUaClient client) {
            String endpoint = options.endpointUrl();
            OperationLimits limits = OperationLimits.of(client, endpoint);
            ChunkBrowser browser = new ChunkBrowser(client, endpoint, maxReferencesPerNode, limits.nodesPerBrowse());
            AttributeReader reader = new AttributeReader(client, limits.nodesPerRead());
            this.paths = new BrowsePathResolver(browser, reader, client.getNamespaceTable(), endpoint);
            this.walker = new AddressSpaceWalker(browser, client.getNamespaceTable(), maxNodes, progress);
            this.describer = new VariableDescriber(client, reader, endpoint);
        }
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
