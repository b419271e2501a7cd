package io.busbar.bootstrap.deployment;

import io.busbar.support.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.routes.source.IngestRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed mode: each pair's {@code ingest-<pair>} route runs under Camel's
 * {@link ClusteredRoutePolicy}, so it is started only on the instance that leads the pair's cluster
 * namespace (one namespace per pair: pairs may be led by different instances). Delivery routes
 * are not clustered: every instance keeps draining what its buffer holds.
 *
 * <p>Camel's file lock does not tell a follower who holds it, so the leader also writes a small
 * note ({@code <notes>/<pair>.json}: instance and since) that followers show in health.
 */
public final class PairLeadership implements RoutePolicyFactory {

    private static final Logger log = LoggerFactory.getLogger(PairLeadership.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INGEST_PREFIX = IngestRoute.routeId("");

    /** Whether this instance leads a pair, and since when. */
    public record Role(boolean leading, Instant since) {
    }

    /** The instance that last took a pair's lock, from its note. */
    public record Holder(String instance, Instant since) {
    }

    private final CamelClusterService service;
    private final String instanceId;
    private final Path notes;
    private final Clock clock;
    private final Instant startedAt;
    private final Map<String, Role> roles = new ConcurrentHashMap<>();

    public PairLeadership(CamelClusterService service, String instanceId, Path notes, Clock clock) {
        this.service = service;
        this.instanceId = instanceId;
        this.notes = notes;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public CamelClusterService service() {
        return service;
    }

    /** The cluster namespace of a pair: its lock file name, or the suffix of its Lease. */
    static String namespace(String pair) {
        return pair;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (!routeId.startsWith(INGEST_PREFIX)) {
            return null; // delivery routes run everywhere
        }
        try {
            return ClusteredRoutePolicy.forNamespace(service, namespace(routeId.substring(INGEST_PREFIX.length())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the cluster policy of route " + routeId, e);
        }
    }

    /** Starts following leadership changes of the given pairs (call once the context runs). */
    public void watch(Iterable<String> pairs) throws Exception {
        for (String pair : pairs) {
            roles.putIfAbsent(pair, new Role(false, startedAt));
            CamelClusterView view = service.getView(namespace(pair));
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> changed(pair, leader));
            changed(pair, view.getLeader().orElse(null)); // it may have been won before the listener was added
        }
    }

    /** Synchronized: Camel's listener thread and {@link #watch} may report the same change at once. */
    private synchronized void changed(String pair, CamelClusterMember leader) {
        boolean leading = leader != null && leader.isLocal();
        Role before = roles.get(pair);
        if (before != null && before.leading() == leading) {
            return;
        }
        Role now = new Role(leading, clock.instant());
        roles.put(pair, now);
        if (leading) {
            log.info("Source pair {}: this instance ({}) took the lock and leads the pair", pair, instanceId);
            writeNote(pair, now.since());
        } else {
            log.info("Source pair {}: this instance ({}) does not lead the pair (standby)", pair, instanceId);
        }
    }

    public Role role(String pair) {
        return roles.getOrDefault(pair, new Role(false, startedAt));
    }

    /** This instance while it leads the pair; otherwise the last instance that noted it took the lock. */
    public Optional<Holder> holder(String pair) {
        Role role = role(pair);
        if (role.leading()) {
            return Optional.of(new Holder(instanceId, role.since()));
        }
        try {
            var note = JSON.readTree(Files.readAllBytes(notes.resolve(pair + ".json")));
            return Optional.of(new Holder(note.path("instance").asText(), Instant.parse(note.path("since").asText())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.debug("Source pair {}: cannot read the leader note: {}", pair, e.toString());
            return Optional.empty();
        }
    }

    private void writeNote(String pair, Instant since) {
        try {
            ObjectNode note = JSON.createObjectNode().put("instance", instanceId).put("since", since.toString());
            AtomicFiles.write(notes.resolve(pair + ".json"), JSON.writeValueAsBytes(note));
        } catch (IOException e) {
            log.warn("Source pair {}: cannot write the leader note (health of other instances will not name this"
                    + " one): {}", pair, e.toString());
        }
    }
}
