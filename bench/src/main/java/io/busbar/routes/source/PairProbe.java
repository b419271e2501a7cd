package io.busbar.routes.source;

import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.ServiceLevelListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A real {@link SourcePairRuntime} (hot pair, watermark file, the production loop, gate, forwarder
 * and recent samples) on two servers that are only listeners, for {@code bench/ingest-cost}: the
 * bench hands each server's publish to {@link #listener}, as the OPC UA connector does. History is
 * empty (a read-back after a dropped batch finds nothing). In the engine's package because the
 * constructor that takes the servers is not public.
 */
public final class PairProbe implements AutoCloseable {

    public static final String PAIR = "bench";

    private final Map<ServerRole, SampleListener> listeners = new EnumMap<>(ServerRole.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SourcePairRuntime runtime;

    public PairProbe(Mapping mapping, Duration publishing, Consumer<IngestBatch> sink, Path watermarkFile) {
        SourcePairPlan plan = new SourcePairPlan(PAIR, server(ServerRole.PRIMARY, publishing),
                Optional.of(server(ServerRole.SECONDARY, publishing)), RedundancyPolicy.defaults(),
                BackfillPolicy.defaults(), mapping, List.of("out"));
        runtime = new SourcePairRuntime(plan, ForwardingScope.standalone(), sink::accept, registry, Clock.systemUTC(),
                Optional.of(watermarkFile), Optional.empty(), server -> new ListeningServer(server.role(), listeners),
                IngestBudget.shared());
    }

    /** Starts the pair and waits until the primary is forwarded. */
    public void start() throws InterruptedException {
        runtime.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!runtime.forwarding() || !runtime.state().active().equals(Optional.of(ServerRole.PRIMARY))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the primary did not become active within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Where a server's publish goes (the connector's delivery callback). */
    public SampleListener listener(ServerRole role) {
        synchronized (listeners) {
            return listeners.get(role);
        }
    }

    /** The name of the pair's loop thread. */
    public static String loopThread() {
        return "busbar-pair-" + PAIR;
    }

    public double dropped() {
        return registry.counter("busbar.source.dropped", "pair", PAIR).count();
    }

    public double forwarded() {
        return registry.counter("busbar.source.forwarded", "pair", PAIR).count();
    }

    public boolean backfilling() {
        return runtime.backfilling();
    }

    @Override
    public void close() {
        runtime.close();
    }

    private static ServerPlan server(ServerRole role, Duration publishing) {
        return new ServerPlan(role, OpcUaSourceOptions.builder("opc.tcp://bench-" + role.wireName() + ":4840")
                .publishingInterval(publishing).samplingInterval(publishing.dividedBy(2)).build());
    }

    /**
     * Connected, silent on its own: what it streams is what the bench hands to the listener it keeps
     * in {@code listeners}; it has no history.
     */
    private record ListeningServer(ServerRole role, Map<ServerRole, SampleListener> listeners) implements PairServer {

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public SourceSubscription subscribe(List<String> nodeIds, SampleListener listener) {
            synchronized (listeners) {
                listeners.putIfAbsent(role, listener); // the data subscription comes first; criteria nodes after
            }
            return new SourceSubscription() {
                @Override
                public void setPublishing(boolean enabled) {
                }

                @Override
                public void recreateItems(Collection<String> nodes) {
                }
            };
        }

        @Override
        public void onServiceLevel(ServiceLevelListener listener) {
        }

        @Override
        public CompletableFuture<HistoryResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to) {
            return CompletableFuture.completedFuture(new HistoryResult(List.<RawSample>of(), Map.of()));
        }
    }
}
