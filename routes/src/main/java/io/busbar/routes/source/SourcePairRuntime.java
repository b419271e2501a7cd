package io.busbar.routes.source;

import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.validation.Validator;
import io.busbar.redundancy.Force;
import io.busbar.redundancy.ForwardGate;
import io.busbar.redundancy.PairSelector;
import io.busbar.redundancy.PairState;
import io.busbar.redundancy.RedundancyMode;
import io.busbar.redundancy.Switchover;
import io.busbar.routes.DeliveryBacklog;
import io.busbar.routes.StageTrace;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one source pair: connects its servers as the redundancy mode says, feeds what they report
 * into the {@link PairSelector}, forwards the active server's values once each, and closes every
 * gap — after a switchover, after both servers were down, after the buffer refused a batch — from
 * what the newly active server streamed while it stood by and from its history.
 *
 * <h2>One owner</h2>
 *
 * The gate, the selection, each server's recent samples and the backfill state belong to the pair's
 * event loop, one thread ({@link PairLoop}): Milo's callback threads only queue a batch (bounded;
 * beyond the bound a batch is counted as dropped and read back from history), so a slow buffer never
 * stalls them. The blocking history reads run on a second thread whose slices are forwarded on the
 * loop.
 *
 * <h2>A switchover loses nothing either server delivered</h2>
 *
 * Every server's live batches that are not forwarded are kept for {@code backfill.standby-window}
 * ({@link RecentSamples}). When a server becomes the forwarded one, its history is read for the gap
 * node by node, then its recent samples follow, then its live stream ({@link PairBackfill}): the
 * forward-once gate passes each (node, source time) once, so a node the server does not historize
 * is filled from the seconds it streamed as a hot standby. What neither could fill is a
 * {@link Hole}, counted and shown. Nodes silent on the active server are {@link SilentNodeRepair}'s.
 *
 * <p>Which active server is forwarded is the {@link ForwardingScope}'s decision: beside a server
 * (co-located deployment) only while that server is active; otherwise whichever is active.
 */
public final class SourcePairRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SourcePairRuntime.class);
    static final long SELECTION_PERIOD_MS = 100;
    /** Watermark saves, at most: each syncs a file (~30 % of an idle pair loop at 0.5 s); the forward log covers a crash meanwhile. */
    static final long WATERMARK_SAVE_PERIOD_MS = PairWatermarks.MAX_SAVE_PERIOD_MS;
    /** Cold mode: how long the primary may take to come up at start before the standby is connected. */
    static final Duration COLD_STANDBY_GRACE = Duration.ofSeconds(5);
    /** A node lagging its partner's same node by this much (at least) is silent on its server. */
    static final Duration MIN_SILENT_AFTER = Duration.ofSeconds(3);
    /** After a switchover, the new server's dead items are created again this often (every 500 ms). */
    static final int DEAD_ITEM_CHECK_TICKS = 5;
    /** In a node's first seconds, how long its values wait at most for its cadence (see {@link StartHold}). */
    static final Duration MAX_CADENCE_WAIT = Duration.ofSeconds(10);
    /** Silent nodes are looked for every this many selection periods (one second). */
    static final int SILENT_CHECK_TICKS = 10;

    private final SourcePairPlan plan;
    private final ForwardingScope scope;
    private final Clock clock;
    private final PairSelector selector;
    private final ForwardGate gate = new ForwardGate();
    private final Forwarder forwarder;
    private final PairServer.Factory serverFactory;
    private final Completeness completeness = new Completeness();
    private final NodeLiveness liveness;
    private final NodeCadence cadence = new NodeCadence();
    private final PairLoop loop;
    private final PairMeters meters;
    private final PairBackfill backfill;
    private final SilentNodeRepair silentNodes;
    private final LiveBatches live;
    private final Map<ServerRole, PairServer> servers = new EnumMap<>(ServerRole.class);
    /** The servers opened so far, for readers off the loop (health). */
    private final Map<ServerRole, PairServer> openServers = new ConcurrentHashMap<>();
    private final Map<ServerRole, SourceSubscription> dataSubscriptions = new EnumMap<>(ServerRole.class);
    private final Map<ServerRole, RecentSamples> recent = new EnumMap<>(ServerRole.class);
    private final AtomicInteger queuedSamples = new AtomicInteger();
    /** This pair's part of the instance's one budget for held live samples. */
    private final IngestBudget.Share budget;
    private final LiveHandOff handOff;
    private final Optional<PairWatermarks> watermarks;
    private final Optional<ForwardLog> forwardLog;
    private Instant startedAt;

    // owned by the loop
    private int ticks;
    private volatile boolean forwarding;
    private volatile Instant forwardingSince;

    /**
     * @param watermarkFile where the per-node watermarks are kept across restarts; empty to keep
     *                      them in memory only (nothing is backfilled after a restart then)
     */
    public SourcePairRuntime(SourcePairPlan plan, Forwarder.DurableSink sink, MeterRegistry registry, Clock clock,
                             Optional<Path> watermarkFile) {
        this(plan, ForwardingScope.standalone(), sink, registry, clock, watermarkFile);
    }

    /** @param backlog whether the targets are behind the buffer: read-backs from history wait while they are */
    public SourcePairRuntime(SourcePairPlan plan, Forwarder.DurableSink sink, MeterRegistry registry, Clock clock,
                             Optional<Path> watermarkFile, DeliveryBacklog backlog) {
        this(plan, ForwardingScope.standalone(), sink, registry, clock, watermarkFile, Optional.empty(), backlog);
    }

    /** @param scope which active server this instance forwards and how it takes a pair over */
    public SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                             Clock clock, Optional<Path> watermarkFile) {
        this(plan, scope, sink, registry, clock, watermarkFile, IngestBudget.shared());
    }

    /** @param budget the heap budget for held live samples this pair shares with the instance's others */
    public SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                             Clock clock, Optional<Path> watermarkFile, IngestBudget budget) {
        this(plan, scope, sink, registry, clock, watermarkFile, Optional.empty(), PairServers.FACTORY, budget);
    }

    /**
     * @param forwardLog what the pair made durable since the last watermark save, kept in the
     *                   buffer; with it a restart after a crash enters no reading twice
     */
    SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                      Clock clock, Optional<Path> watermarkFile, Optional<ForwardLog> forwardLog) {
        this(plan, scope, sink, registry, clock, watermarkFile, forwardLog, DeliveryBacklog.NONE);
    }

    /** @param backlog whether the targets are behind the buffer: read-backs wait while they are */
    SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                      Clock clock, Optional<Path> watermarkFile, Optional<ForwardLog> forwardLog, DeliveryBacklog backlog) {
        this(plan, scope, sink, registry, clock, watermarkFile, forwardLog, PairServers.FACTORY, IngestBudget.shared(),
                backlog);
    }

    /** @param serverFactory opens the pair's servers: OPC UA in production, fakes in unit tests */
    SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                      Clock clock, Optional<Path> watermarkFile, Optional<ForwardLog> forwardLog,
                      PairServer.Factory serverFactory, IngestBudget budget) {
        this(plan, scope, sink, registry, clock, watermarkFile, forwardLog, serverFactory, budget, DeliveryBacklog.NONE);
    }

    SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                      Clock clock, Optional<Path> watermarkFile, Optional<ForwardLog> forwardLog,
                      PairServer.Factory serverFactory, IngestBudget budget, DeliveryBacklog backlog) {
        this.budget = budget.join();
        this.plan = plan;
        this.forwardLog = forwardLog;
        this.scope = scope;
        this.clock = clock;
        this.serverFactory = serverFactory;
        this.selector = new PairSelector(plan.name(), plan.redundancy(), plan.secondary().isPresent(), scope.beside(), clock);
        this.forwarder = new Forwarder(plan.name(), plan.mapping(), sink, gate, new Validator(clock), registry);
        this.watermarks = watermarkFile.map(file -> new PairWatermarks(plan, scope, clock, gate, forwarder,
                new WatermarkFile(file), forwardLog));
        Duration threePublishes = plan.primary().reportInterval().multipliedBy(3);
        NodeSlots slots = new NodeSlots(plan.mapping().nodeIds());
        this.liveness = new NodeLiveness(threePublishes.compareTo(MIN_SILENT_AFTER) > 0 ? threePublishes : MIN_SILENT_AFTER,
                slots);
        for (ServerRole role : ServerRole.values()) {
            recent.put(role, new RecentSamples(plan.backfill().standbyWindow(), this.budget::recentLimit));
        }
        this.loop = new PairLoop(plan.name());
        PairBackfill[] late = new PairBackfill[1]; // the gauge reads it once the pair runs
        LiveBatches[] liveLater = new LiveBatches[1]; // the backfill releases held values into it once the pair runs
        Duration leadValues = plan.primary().reportInterval().multipliedBy(Backfiller.LEAD_VALUES);
        StartHold hold = new StartHold(cadence, this.budget::recentLimit, node -> gate.lastForwarded(node).isPresent(),
                leadValues.compareTo(MAX_CADENCE_WAIT) > 0 ? leadValues : MAX_CADENCE_WAIT);
        this.meters = new PairMeters(plan.name(), registry, selector, queuedSamples,
                role -> late[0] == null ? 0 : late[0].nodesWithoutHistory(role));
        SlotSkips skips = new SlotSkips(plan.name(), clock, cadence, gate, meters);
        this.backfill = new PairBackfill(plan, clock, gate, forwarder, completeness, cadence, skips, recent, servers, loop,
                meters, slots, hold, () -> liveLater[0], backlog);
        late[0] = backfill;
        this.silentNodes = new SilentNodeRepair(plan, clock, selector, liveness, forwarder, backfill, recent, servers,
                dataSubscriptions, meters);
        this.live = new LiveBatches(clock, selector, liveness, cadence, skips, forwarder, backfill, recent, hold);
        liveLater[0] = live;
        this.handOff = new LiveHandOff(loop, live, queuedSamples, this.budget::queuedLimit, meters.droppedSamples, slots);
    }

    public String name() {
        return plan.name();
    }

    public PairState state() {
        return selector.state();
    }

    public Optional<BackfillReport> lastBackfill() {
        return backfill.lastReport();
    }

    /** The latest holes (newest first): source time no target will receive. */
    public List<Hole> holes() {
        return completeness.holes();
    }

    /**
     * The nodes a server refused history for. Read from the server's own record, which its threads
     * keep: empty for a server that is not connected yet.
     */
    public Map<String, Long> nodesWithoutHistory(ServerRole role) {
        PairServer server = openServers.get(role);
        return server == null ? Map.of() : server.nodesWithoutHistory();
    }

    /**
     * The meters a server gets no value of while it answers (see {@link PairServer#silentNodes()}),
     * each with the earliest time since which one of its registers has been silent.
     */
    public Map<String, Instant> silentMeters(ServerRole role) {
        PairServer server = openServers.get(role);
        return server == null ? Map.of() : SilentNodeRepair.metersOf(plan.mapping(), server.silentNodes());
    }

    /** Live samples dropped since the start because ingest could not keep up (each read back from history). */
    public long droppedSamples() {
        return (long) meters.droppedSamples.count();
    }

    /** Seconds of holes since the start. */
    public double unfilledSeconds() {
        return completeness.unfilledSeconds();
    }

    /** Whether a hole was found recently enough that an operator should look ({@link Completeness#ATTENTION}). */
    public boolean recentHole() {
        return completeness.recentHole(clock.instant());
    }

    /** Whether a gap is being read back now. */
    public boolean backfilling() {
        return backfill.running();
    }

    /** Whether this instance forwards the pair's values now (its scope admits the active server). */
    public boolean forwarding() {
        return forwarding;
    }

    /** Since when {@link #forwarding()} has had its current value (the start, or the last change). */
    public Instant forwardingSince() {
        return forwardingSince;
    }

    /** The active server if this instance forwards it, else empty. */
    private Optional<ServerRole> forwardedServer() {
        return selector.active().filter(scope::forwards);
    }

    /** Manual control for maintenance. */
    public void force(Force force) {
        selector.force(force);
        loop.execute(this::tick);
    }

    public synchronized void start() {
        watermarks.ifPresent(PairWatermarks::restore);
        startedAt = clock.instant();
        forwardingSince = startedAt;
        loop.start();
        loop.execute(() -> {
            connect(plan.primary());
            // cold: the standby is connected only when the active one fails (see tick)
            if (plan.redundancy().mode() != RedundancyMode.COLD) {
                plan.secondary().ifPresent(this::connect);
            }
        });
        loop.every(this::tick, 0, SELECTION_PERIOD_MS);
        long savePeriod = PairWatermarks.savePeriodMs(plan.mapping().size(), WATERMARK_SAVE_PERIOD_MS);
        watermarks.ifPresent(w -> loop.every(w::save, savePeriod, savePeriod));
    }

    private void connect(ServerPlan server) {
        PairServer source = serverFactory.open(server);
        var observations = selector.observations(server.role());
        SourceSubscription data = source.subscribe(plan.mapping().nodeIds(), new SampleListener() {
            @Override
            public void onSamples(ServerRole role, List<RawSample> batch) {
                SourcePairRuntime.this.onSamples(role, batch);
            }

            @Override
            public void onSamplesLost(ServerRole role) {
                meters.lostPublishes.increment();
                handOff.lost(role);
            }
        });
        if (plan.redundancy().mode() == RedundancyMode.WARM && !selector.active().equals(Optional.of(server.role()))) {
            data.setPublishing(false); // warm standby: subscription ready, switched on at failover
        }
        List<String> criteriaNodes = plan.redundancy().criteria().criterionNodeIds();
        if (!criteriaNodes.isEmpty()) {
            source.subscribe(criteriaNodes, (role, batch) -> batch.forEach(sample ->
                    observations.value(sample.nodeId(), sample.value(), sample.statusCode(), clock.instant())));
        }
        source.onServiceLevel((role, level) -> observations.serviceLevel(level, clock.instant()));
        // a lost session switches at once, not at the next tick: up to a selection period less of failover
        source.onConnectionChange(() -> loop.execute(this::reselect));
        servers.put(server.role(), source);
        openServers.put(server.role(), source);
        dataSubscriptions.put(server.role(), data);
        source.start();
    }

    // ---------------------------------------------------------------- on the servers' threads

    /** A server's publish response: noted for its health, then queued for the loop without blocking. */
    void onSamples(ServerRole role, List<RawSample> batch) {
        RawSample last = batch.get(batch.size() - 1);
        selector.observations(role).value(last.nodeId(), last.value(), last.statusCode(), clock.instant());
        StageTrace.received(role, batch);
        handOff.hand(role, batch);
    }

    // ---------------------------------------------------------------- on the loop

    private void tick() {
        try {
            reselect();
            if (++ticks % SILENT_CHECK_TICKS == 0) {
                silentNodes.fillSilentNodes();
            }
            if (ticks % DEAD_ITEM_CHECK_TICKS == 0) {
                silentNodes.reviveDeadItemsAfterSwitchover();
            }
            live.releaseOverdue();
            boolean forwardsNow = forwardedServer().isPresent();
            if (forwardsNow != forwarding) {
                forwarding = forwardsNow;
                forwardingSince = clock.instant();
            }
        } catch (RuntimeException e) {
            log.warn("Source pair {}: evaluating the servers failed: {}", plan.name(), e.toString());
        }
    }

    /**
     * Observes each server's connection and items, then lets the selector switch if it must. A
     * failure is logged by the caller: the tick, or the loop for a call on a connection change.
     */
    private void reselect() {
        Instant now = clock.instant();
        for (ServerRole role : ServerRole.values()) {
            PairServer server = servers.get(role);
            if (server != null) {
                var observations = selector.observations(role);
                boolean connected = server.connected();
                observations.connected(connected, server.connectionLost().orElse(null), now);
                if (!connected && server.connectFailures() > 0) {
                    observations.connectFailed(now);
                }
                SourceSubscription data = dataSubscriptions.get(role);
                if (connected && data != null) {
                    observations.items(data.deadItems(), data.itemCount(), now);
                }
            }
            recent.get(role).expire(now);
        }
        startColdStandbyIfNeeded();
        selector.evaluate().ifPresent(this::onSwitchover);
    }

    private void startColdStandbyIfNeeded() {
        if (plan.redundancy().mode() != RedundancyMode.COLD || plan.secondary().isEmpty()) {
            return;
        }
        Optional<ServerRole> active = selector.active();
        boolean activeFailed = active.isPresent()
                ? !selector.health(active.get()).healthy()
                : clock.instant().isAfter(startedAt.plus(COLD_STANDBY_GRACE)); // the primary had its chance
        if (activeFailed) {
            for (ServerRole role : ServerRole.values()) {
                if (!servers.containsKey(role)) {
                    log.info("Source pair {}: connecting the cold standby ({} server)", plan.name(), role.wireName());
                    plan.server(role).ifPresent(this::connect);
                }
            }
        }
    }

    private void onSwitchover(Switchover switchover) {
        // the selector has logged the switch and its reason
        meters.switchovers.increment();
        if (plan.redundancy().mode() == RedundancyMode.WARM) {
            switchover.from().map(dataSubscriptions::get).ifPresent(data -> data.setPublishing(false));
            switchover.to().map(dataSubscriptions::get).ifPresent(data -> data.setPublishing(true));
        }
        ServerRole liveFrom = switchover.to().filter(scope::forwards).orElse(null);
        backfill.liveFrom(liveFrom);
        if (liveFrom != null) {
            if (scope.beside().isPresent()) {
                prepareTakeover();
            }
            silentNodes.recreateSilentItems(liveFrom);
            backfill.start(liveFrom);
        }
    }

    /**
     * Co-located: the partner instance forwarded until now, so this one's watermarks say nothing
     * about the gap; start from its own recent watermark or from now minus the takeover overlap.
     */
    private void prepareTakeover() {
        gate.restore(TakeoverPoints.of(plan.mapping().nodeIds(), gate.snapshot(), Duration.ZERO,
                scope.takeoverOverlap(), plan.backfill().maxWindow(), clock.instant()));
        log.info("Source pair {}: the {} server this instance runs beside is active: taking over forwarding",
                plan.name(), scope.beside().orElseThrow().wireName());
    }

    @Override
    public synchronized void close() {
        stopThreadsAndServers();
        watermarks.ifPresent(PairWatermarks::save); // the loop has stopped: nothing else touches the gate now
        if (forwardLog.orElse(null) instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("Source pair {}: closing the forward log: {}", plan.name(), e.toString());
            }
        }
    }

    /** As a kill -9 leaves it: servers and threads gone, nothing saved. For crash tests. */
    synchronized void abandon() {
        stopThreadsAndServers();
    }

    private void stopThreadsAndServers() {
        budget.close(); // the pairs that still run share what this one held
        loop.stop();
        new ArrayList<>(servers.values()).forEach(PairServer::stop);
        servers.clear();
        openServers.clear();
    }
}
