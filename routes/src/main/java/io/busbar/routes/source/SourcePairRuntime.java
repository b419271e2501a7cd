package io.busbar.routes.source;

import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.validation.Validator;
import io.busbar.redundancy.Force;
import io.busbar.redundancy.ForwardGate;
import io.busbar.redundancy.PairSelector;
import io.busbar.redundancy.PairState;
import io.busbar.redundancy.RedundancyMode;
import io.busbar.redundancy.Switchover;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.support.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * event loop, one thread: Milo's callback threads only queue a batch (bounded; beyond the bound a
 * batch is counted as dropped and read back from history), so a slow buffer never stalls them. The
 * blocking history reads run on a second thread whose slices are forwarded on the loop.
 *
 * <h2>A switchover loses nothing either server delivered</h2>
 *
 * Every server's live batches that are not forwarded are kept for {@code backfill.standby-window}
 * ({@link RecentSamples}). When a server becomes the forwarded one, its history is read for the gap
 * node by node, then its recent samples follow, then its live stream: the forward-once gate passes
 * each (node, source time) once, so a node the server does not historize is filled from the
 * seconds it streamed as a hot standby. What neither could fill is a {@link Hole}, counted and shown.
 *
 * <p>Which active server is forwarded is the {@link ForwardingScope}'s decision: beside a server
 * (co-located deployment) only while that server is active; otherwise whichever is active.
 */
public final class SourcePairRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SourcePairRuntime.class);
    static final long SELECTION_PERIOD_MS = 100;
    /** Samples queued between the servers' threads and the loop; beyond this, batches are read back from history. */
    static final int MAX_QUEUED_SAMPLES = heapBound(8);
    /** Per server, the most samples kept as its recent stream. */
    static final int MAX_RECENT_SAMPLES = heapBound(16);
    /** What one held sample costs on the heap: the RawSample, its boxed value and two Instants. */
    private static final int BYTES_PER_HELD_SAMPLE = 120;
    static final long RETRY_AFTER_REFUSAL_MS = 1_000;
    /** How often changed watermarks are saved; a crash replays at most this much (same keys). */
    static final long WATERMARK_SAVE_PERIOD_MS = 500;
    /** Cold mode: how long the primary may take to come up at start before the standby is connected. */
    static final Duration COLD_STANDBY_GRACE = Duration.ofSeconds(5);
    /** A node lagging its partner's same node by this much (at least) is silent on its server. */
    static final Duration MIN_SILENT_AFTER = Duration.ofSeconds(3);
    /** After a switchover, the new server's dead items are created again this often (every 500 ms)... */
    static final int DEAD_ITEM_CHECK_TICKS = 5;
    /** ... for this long: a server that re-creates its nodes when it becomes active (NETx) does so late. */
    static final Duration DEAD_ITEM_REVIVAL = Duration.ofSeconds(30);
    /** Silent nodes are looked for every this many selection periods (one second). */
    static final int SILENT_CHECK_TICKS = 10;
    /** A live stream that skipped a slot starts a read-back from history at most this often. */
    static final Duration SKIP_READBACK_PERIOD = Duration.ofSeconds(5);
    /** A node's values further apart than this after a gap, with nothing to fill them, are a hole. */
    static final Duration MIN_HOLE = Duration.ofMillis(1_500);

    private final SourcePairPlan plan;
    private final ForwardingScope scope;
    private final Clock clock;
    private final PairSelector selector;
    private final ForwardGate gate = new ForwardGate();
    private final Forwarder forwarder;
    private final Backfiller backfiller;
    private final PairServer.Factory serverFactory;
    private final Completeness completeness = new Completeness();
    private final NodeLiveness liveness;
    private final NodeCadence cadence = new NodeCadence();
    private final Counter skippedSlots;
    private final Counter filledFromPartner;
    private final Map<ServerRole, PairServer> servers = new EnumMap<>(ServerRole.class);
    /** The servers opened so far, for readers off the loop (health). */
    private final Map<ServerRole, PairServer> openServers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<ServerRole, SourceSubscription> dataSubscriptions = new EnumMap<>(ServerRole.class);
    private final Map<ServerRole, RecentSamples> recent = new EnumMap<>(ServerRole.class);
    private final AtomicInteger queuedSamples = new AtomicInteger();
    private final Counter backfilled;
    private final Counter unfilledSeconds;
    private final Counter switchoversCounter;
    private final Counter droppedSamples;
    private final Map<ServerRole, Integer> nodesWithoutHistory = new EnumMap<>(ServerRole.class);
    private final Optional<WatermarkFile> watermarks;
    private final Optional<ForwardLog> forwardLog;
    private volatile BackfillReport lastBackfill;
    private long savedVersion;
    private Instant startedAt;
    private ScheduledExecutorService loop;
    private ExecutorService backfillExecutor;

    // owned by the loop
    private int ticks;
    private Instant lastSkipReadBack;
    private final Map<String, PendingGap> pendingGaps = new HashMap<>();
    private boolean backfilling;
    private boolean backfillAgain;
    /** The server whose live values are forwarded, as the last switchover set it; read by the backfill thread. */
    private volatile ServerRole liveFrom;
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

    /** @param scope which active server this instance forwards and how it takes a pair over */
    public SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                             Clock clock, Optional<Path> watermarkFile) {
        this(plan, scope, sink, registry, clock, watermarkFile, Optional.empty());
    }

    /**
     * @param forwardLog what the pair made durable since the last watermark save, kept in the
     *                   buffer; with it a restart after a crash enters no reading twice
     */
    SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                      Clock clock, Optional<Path> watermarkFile, Optional<ForwardLog> forwardLog) {
        this(plan, scope, sink, registry, clock, watermarkFile, forwardLog, PairServers.FACTORY);
    }

    /** @param serverFactory opens the pair's servers: OPC UA in production, fakes in unit tests */
    SourcePairRuntime(SourcePairPlan plan, ForwardingScope scope, Forwarder.DurableSink sink, MeterRegistry registry,
                      Clock clock, Optional<Path> watermarkFile, Optional<ForwardLog> forwardLog,
                      PairServer.Factory serverFactory) {
        this.plan = plan;
        this.forwardLog = forwardLog;
        this.scope = scope;
        this.clock = clock;
        this.serverFactory = serverFactory;
        this.watermarks = watermarkFile.map(WatermarkFile::new);
        this.selector = new PairSelector(plan.name(), plan.redundancy(), plan.secondary().isPresent(), scope.beside(), clock);
        this.forwarder = new Forwarder(plan.name(), plan.mapping(), sink, gate, new Validator(clock), registry);
        this.backfiller = new Backfiller(plan.mapping().nodeIds(), plan.backfill());
        Duration threePublishes = plan.primary().reportInterval().multipliedBy(3);
        this.liveness = new NodeLiveness(threePublishes.compareTo(MIN_SILENT_AFTER) > 0 ? threePublishes : MIN_SILENT_AFTER);
        for (ServerRole role : ServerRole.values()) {
            recent.put(role, new RecentSamples(plan.backfill().standbyWindow(), MAX_RECENT_SAMPLES));
        }
        this.backfilled = Counter.builder("busbar.backfill.readings").description("Readings forwarded from history")
                .tag("pair", plan.name()).register(registry);
        this.unfilledSeconds = Counter.builder("busbar.backfill.unfilled.seconds")
                .description("Seconds of gaps that neither history nor a server's live stream could fill")
                .tag("pair", plan.name()).register(registry);
        this.switchoversCounter = Counter.builder("busbar.redundancy.switchovers").description("Changes of the active server")
                .tag("pair", plan.name()).register(registry);
        this.filledFromPartner = Counter.builder("busbar.source.filled.from.partner")
                .description("Readings of nodes silent on the active server forwarded from its hot partner's stream")
                .tag("pair", plan.name()).register(registry);
        this.skippedSlots = Counter.builder("busbar.source.skipped.slots")
                .description("Times the active server's live stream skipped a node's source slot (read back from history)")
                .tag("pair", plan.name()).register(registry);
        this.droppedSamples = Counter.builder("busbar.source.dropped")
                .description("Live samples dropped because ingest could not keep up; read back from history")
                .tag("pair", plan.name()).register(registry);
        Gauge.builder("busbar.redundancy.active", this, r -> r.selector.active().map(role -> role.ordinal() + 1).orElse(0))
                .description("Active server: 0 none, 1 primary, 2 secondary").tag("pair", plan.name()).register(registry);
        Gauge.builder("busbar.source.queued", queuedSamples, AtomicInteger::get)
                .description("Live samples waiting for the pair's event loop").tag("pair", plan.name()).register(registry);
        for (ServerRole role : ServerRole.values()) {
            Gauge.builder("busbar.redundancy.service.level", this,
                            r -> r.selector.health(role).serviceLevel().orElse(-1))
                    .description("ServiceLevel the server reports, -1 unknown").tag("pair", plan.name())
                    .tag("server", role.wireName()).register(registry);
            // per server, so an alert can tell "the active one is stale" from "the standby is down"
            Gauge.builder("busbar.redundancy.server.connected", this, r -> r.selector.health(role).connected() ? 1 : 0)
                    .description("1 while Busbar has a session with the server").tag("pair", plan.name())
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.redundancy.server.healthy", this, r -> r.selector.health(role).healthy() ? 1 : 0)
                    .description("1 while the server passes every health criterion").tag("pair", plan.name())
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.redundancy.server.stale", this, r -> r.selector.health(role).stale() ? 1 : 0)
                    .description("1 while the server's values stopped changing").tag("pair", plan.name())
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.redundancy.server.active", this,
                            r -> r.selector.active().filter(role::equals).isPresent() ? 1 : 0)
                    .description("1 for the server Busbar forwards from").tag("pair", plan.name())
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.backfill.nodes.without.history", this,
                            r -> r.nodesWithoutHistory.getOrDefault(role, 0))
                    .description("Nodes the server could not read back at its last backfill").tag("pair", plan.name())
                    .tag("server", role.wireName()).register(registry);
        }
    }

    public String name() {
        return plan.name();
    }

    public PairState state() {
        return selector.state();
    }

    public Optional<BackfillReport> lastBackfill() {
        return Optional.ofNullable(lastBackfill);
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
        if (server == null) {
            return Map.of();
        }
        Map<String, Instant> silentNodes = server.silentNodes();
        Map<String, Instant> meters = new java.util.TreeMap<>();
        if (!silentNodes.isEmpty()) {
            plan.mapping().registers().forEach(register -> {
                Instant since = silentNodes.get(register.nodeId());
                if (since != null) {
                    meters.merge(register.meter(), since, (a, b) -> a.isBefore(b) ? a : b);
                }
            });
        }
        return meters;
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
        return backfilling;
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
        onLoop(this::tick);
    }

    public synchronized void start() {
        watermarks.ifPresent(this::restoreWatermarks);
        startedAt = clock.instant();
        forwardingSince = startedAt;
        loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-pair-" + plan.name()));
        backfillExecutor = Executors.newSingleThreadExecutor(DaemonThreads.named("busbar-backfill-" + plan.name()));
        onLoop(() -> {
            connect(plan.primary());
            // cold: the standby is connected only when the active one fails (see tick)
            if (plan.redundancy().mode() != RedundancyMode.COLD) {
                plan.secondary().ifPresent(this::connect);
            }
        });
        loop.scheduleWithFixedDelay(this::tick, 0, SELECTION_PERIOD_MS, TimeUnit.MILLISECONDS);
        if (watermarks.isPresent()) {
            loop.scheduleWithFixedDelay(this::saveWatermarks, WATERMARK_SAVE_PERIOD_MS, WATERMARK_SAVE_PERIOD_MS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void restoreWatermarks(WatermarkFile file) {
        try {
            Map<String, Instant> saved = file.load();
            if (scope.rewindOnStart()) {
                // a new leader: what the lost one made durable may still sit undelivered in its own
                // buffer, so read the overlap again (same keys) rather than trust the shared file
                saved = TakeoverPoints.of(plan.mapping().nodeIds(), saved, scope.takeoverOverlap(),
                        scope.takeoverOverlap(), plan.backfill().maxWindow(), clock.instant());
            }
            long seq = file.loadSeq();
            if (forwardLog.isPresent() && !scope.rewindOnStart()) {
                try {
                    ForwardLog.Recovered recovered = forwardLog.get().recover(seq);
                    saved = withRecovered(saved, recovered.readings());
                    if (!recovered.readings().isEmpty()) {
                        log.info("Source pair {}: {} reading(s) of batches {}..{} were made durable after the last"
                                + " watermark save; they are not read again", plan.name(), recovered.readings().size(),
                                seq + 1, recovered.lastSeq());
                    }
                    seq = recovered.lastSeq();
                } catch (Exception e) {
                    log.warn("Source pair {}: cannot read the forward log ({}); the readings made durable after the"
                            + " last watermark save are read again (same keys)", plan.name(), e.toString());
                }
            }
            forwarder.resumeAfter(seq);
            savedVersion = seq;
            gate.restore(saved);
            if (!saved.isEmpty()) {
                log.info("Source pair {}: resuming after {} (oldest watermark of {} nodes); the gap is backfilled"
                        + " from the first active server", plan.name(), gate.oldestWatermark().orElseThrow(), saved.size());
            }
        } catch (IOException | RuntimeException e) {
            log.error("Source pair {}: cannot read the watermarks in {} ({}); starting without them, so the time"
                    + " Busbar was down is not backfilled", plan.name(), file.path(), e.toString());
        }
    }

    /** The saved watermarks moved up to the readings the forward log holds beyond them. */
    private Map<String, Instant> withRecovered(Map<String, Instant> saved, List<Reading> readings) {
        Map<String, String> nodes = new HashMap<>();
        plan.mapping().registers().forEach(r -> nodes.putIfAbsent(r.meter() + "\n" + r.quantity(), r.nodeId()));
        Map<String, Instant> marks = new HashMap<>(saved);
        for (Reading reading : readings) {
            String node = nodes.get(reading.meter() + "\n" + reading.quantity());
            if (node != null) {
                marks.merge(node, reading.sourceTime(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return marks;
    }

    private void saveWatermarks() {
        // the sequence number first: every batch up to it has moved the gate before it was counted
        long version = forwarder.version();
        if (version == savedVersion) {
            return;
        }
        try {
            watermarks.orElseThrow().save(gate.snapshot(), version);
            savedVersion = version;
        } catch (IOException | RuntimeException e) {
            log.warn("Source pair {}: cannot save the watermarks: {}", plan.name(), e.toString());
            return;
        }
        try {
            if (forwardLog.isPresent()) {
                forwardLog.get().trim(version);
            }
        } catch (Exception e) {
            log.warn("Source pair {}: cannot trim the forward log (the next save tries again): {}", plan.name(), e.toString());
        }
    }

    private void connect(ServerPlan server) {
        PairServer source = serverFactory.open(server);
        var observations = selector.observations(server.role());
        SourceSubscription data = source.subscribe(plan.mapping().nodeIds(), this::onSamples);
        if (plan.redundancy().mode() == RedundancyMode.WARM && !selector.active().equals(Optional.of(server.role()))) {
            data.setPublishing(false); // warm standby: subscription ready, switched on at failover
        }
        List<String> criteriaNodes = plan.redundancy().criteria().criterionNodeIds();
        if (!criteriaNodes.isEmpty()) {
            source.subscribe(criteriaNodes, (role, batch) -> batch.forEach(sample ->
                    observations.value(sample.nodeId(), sample.value(), sample.statusCode(), clock.instant())));
        }
        source.onServiceLevel((role, level) -> observations.serviceLevel(level, clock.instant()));
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
        int size = batch.size();
        if (queuedSamples.addAndGet(size) > MAX_QUEUED_SAMPLES) {
            queuedSamples.addAndGet(-size);
            droppedSamples.increment(size);
            onLoop(() -> onDropped(role));
            return;
        }
        if (!onLoop(() -> {
            queuedSamples.addAndGet(-size);
            onBatch(role, batch);
        })) {
            queuedSamples.addAndGet(-size);
        }
    }

    // ---------------------------------------------------------------- on the loop

    private void onBatch(ServerRole role, List<RawSample> batch) {
        Instant newest = liveness.observe(role, batch);
        if (newest != null) {
            selector.observations(role).sourceTime(newest, clock.instant());
        }
        if (role == liveFrom && !backfilling) {
            if (skipsASlot(role, batch)) {
                recent.get(role).add(batch, clock.instant());
                startBackfill(role); // the skipped slot from history, then this batch, in order
                return;
            }
            try {
                forwarder.forward(role, batch);
                cadence.observe(batch);
                if (!pendingGaps.isEmpty()) {
                    closePendingGaps(batch);
                }
            } catch (Forwarder.BufferRefusedException e) {
                recent.get(role).add(batch, clock.instant());
                retryLater(role);
            }
        } else {
            recent.get(role).add(batch, clock.instant());
        }
    }

    /**
     * Whether the batch jumps past a slot of a node with a steady cadence: a server whose update was
     * late sets two slots before its sampling saw the first, and the gate would pass the second and
     * never admit the first. Read back at most every {@link #SKIP_READBACK_PERIOD}; a skip within it
     * is forwarded as it is and the slot stays a hole, recorded like any other.
     */
    private boolean skipsASlot(ServerRole role, List<RawSample> batch) {
        Map<String, Instant> forwarded = new HashMap<>();
        for (RawSample sample : batch) {
            gate.lastForwarded(sample.nodeId()).ifPresent(at -> forwarded.put(sample.nodeId(), at));
        }
        RawSample skip = cadence.firstSkip(batch, forwarded);
        if (skip == null) {
            return false;
        }
        skippedSlots.increment();
        Instant now = clock.instant();
        if (lastSkipReadBack != null && now.isBefore(lastSkipReadBack.plus(SKIP_READBACK_PERIOD))) {
            Instant from = forwarded.get(skip.nodeId());
            completeness.record(new Hole(from, skip.sourceTime(), 1, role.wireName(),
                    "the live stream skipped " + skip.nodeId() + " while a read-back had just run"));
            return false;
        }
        lastSkipReadBack = now;
        log.info("Source pair {}: the {} server's live stream skipped a slot of {} (last forwarded {}, next {});"
                + " reading it back from history", plan.name(), role.wireName(), skip.nodeId(),
                forwarded.get(skip.nodeId()), skip.sourceTime());
        return true;
    }

    private void onDropped(ServerRole role) {
        if (role == liveFrom) {
            startBackfill(role); // the dropped batch is read back from history
        }
    }

    private void tick() {
        try {
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
            if (++ticks % SILENT_CHECK_TICKS == 0) {
                fillSilentNodes();
            }
            if (ticks % DEAD_ITEM_CHECK_TICKS == 0) {
                reviveDeadItemsAfterSwitchover();
            }
            boolean forwardsNow = forwardedServer().isPresent();
            if (forwardsNow != forwarding) {
                forwarding = forwardsNow;
                forwardingSince = clock.instant();
            }
        } catch (RuntimeException e) {
            log.warn("Source pair {}: evaluating the servers failed: {}", plan.name(), e.toString());
        }
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
        switchoversCounter.increment();
        if (plan.redundancy().mode() == RedundancyMode.WARM) {
            switchover.from().map(dataSubscriptions::get).ifPresent(data -> data.setPublishing(false));
            switchover.to().map(dataSubscriptions::get).ifPresent(data -> data.setPublishing(true));
        }
        liveFrom = switchover.to().filter(scope::forwards).orElse(null);
        if (liveFrom != null) {
            if (scope.beside().isPresent()) {
                prepareTakeover();
            }
            recreateSilentItems(liveFrom);
            startBackfill(liveFrom);
        }
    }

    /**
     * Hot mode: items of the new active server that delivered nothing alive while it stood by are
     * created again at once — a server that deletes its meter nodes while standby (NETx) leaves them
     * dead otherwise.
     */
    private void recreateSilentItems(ServerRole role) {
        if (plan.redundancy().mode() != RedundancyMode.HOT) {
            return;
        }
        Optional<Instant> since = selector.observations(role).connectedSince();
        Duration settle = plan.primary().reportInterval().multipliedBy(3).plusSeconds(1);
        if (since.isEmpty() || since.get().isAfter(clock.instant().minus(settle))) {
            return; // just connected: its items have not had the time to report
        }
        Set<String> alive = recent.get(role).newestGood().keySet();
        List<String> silent = plan.mapping().nodeIds().stream().filter(node -> !alive.contains(node)).toList();
        SourceSubscription data = dataSubscriptions.get(role);
        if (!silent.isEmpty() && data != null) {
            log.info("Source pair {}: {} item(s) of the {} server delivered nothing alive while it stood by; creating"
                    + " them again", plan.name(), silent.size(), role.wireName());
            data.recreateItems(silent);
        }
    }

    /**
     * Right after a switchover the new server may still be creating the nodes it deletes while
     * standby: its dead items are created again every half second instead of after the usual
     * back-off, so its readings flow within a second or two of the nodes' return.
     */
    private void reviveDeadItemsAfterSwitchover() {
        ServerRole active = liveFrom;
        Optional<Switchover> last = selector.state().lastSwitchover();
        if (active == null || last.isEmpty() || last.get().at().isBefore(clock.instant().minus(DEAD_ITEM_REVIVAL))) {
            return;
        }
        SourceSubscription data = dataSubscriptions.get(active);
        if (data != null && data.deadItems() > 0) {
            data.recreateItems(data.deadNodeIds());
        }
    }

    /**
     * Hot mode: nodes the active server has gone silent on while its partner streams them are
     * forwarded from the partner's stream (same keys, so nothing doubles when the active server's
     * values come back), and their items on the active server are created again, with back-off.
     */
    private void fillSilentNodes() {
        ServerRole active = liveFrom;
        if (plan.redundancy().mode() != RedundancyMode.HOT || active == null || backfilling
                || !servers.containsKey(active.partner())) {
            return;
        }
        Set<String> silent = liveness.silentOn(active, active.partner(), plan.mapping().nodeIds());
        if (silent.isEmpty()) {
            return;
        }
        try {
            filledFromPartner.increment(forwarder.forward(active.partner(), recent.get(active.partner()).samplesOf(silent)));
        } catch (Forwarder.BufferRefusedException e) {
            retryLater(active);
            return;
        }
        List<String> due = liveness.dueForRecreate(silent, clock.instant());
        SourceSubscription data = dataSubscriptions.get(active);
        if (!due.isEmpty() && data != null) {
            log.info("Source pair {}: {} node(s) are silent on the active {} server while the {} server streams them"
                    + " (e.g. {}); forwarding the partner's values and creating the items again", plan.name(), due.size(),
                    active.wireName(), active.partner().wireName(), due.get(0));
            data.recreateItems(due);
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

    /** Reads the gap back from {@code role}; its live batches wait in its recent samples meanwhile. */
    private void startBackfill(ServerRole role) {
        if (backfilling) {
            backfillAgain = true; // the running one ends with another round
            return;
        }
        PairServer server = servers.get(role);
        if (server == null) {
            return;
        }
        backfilling = true;
        backfillAgain = false;
        recent.get(role).pin();
        Map<String, Instant> marks = gate.snapshot();
        Instant to = clock.instant();
        try {
            backfillExecutor.execute(() -> backfill(server, marks, to));
        } catch (RejectedExecutionException e) {
            backfilling = false; // closing
        }
    }

    /** On the backfill thread. */
    private void backfill(PairServer server, Map<String, Instant> marks, Instant to) {
        ServerRole role = server.role();
        Optional<Backfiller.Result> result = Optional.empty();
        boolean refused = false;
        try {
            result = backfiller.run(server, marks, to, history -> forwardHistory(role, history), () -> liveFrom == role);
        } catch (Forwarder.BufferRefusedException e) {
            refused = true;
        } catch (RuntimeException e) {
            log.error("Source pair {}: backfill from the {} server failed", plan.name(), role.wireName(), e);
        }
        Optional<Backfiller.Result> done = result;
        boolean wasRefused = refused;
        onLoop(() -> finishBackfill(role, marks, done, wasRefused));
    }

    /** On the backfill thread: a slice of history is forwarded on the loop, which owns the gate. */
    private int forwardHistory(ServerRole role, List<RawSample> history) {
        return callOnLoop(() -> {
            if (liveFrom != role) {
                return 0;
            }
            int count = forwarder.forward(role, history);
            backfilled.increment(count);
            return count;
        });
    }

    /** After the history: the server's recent samples follow, then its live stream. */
    private void finishBackfill(ServerRole role, Map<String, Instant> marks, Optional<Backfiller.Result> result,
                                boolean refused) {
        backfilling = false;
        RecentSamples held = recent.get(role);
        if (role != liveFrom) {
            held.unpin(); // no longer forwarded: its stream stays a standby's recent samples
            if (liveFrom != null) {
                startBackfill(liveFrom);
            }
            return;
        }
        boolean again = backfillAgain || held.overflowed();
        Map<String, Instant> gapStarts = new HashMap<>();
        result.ifPresent(r -> r.failedNodes().keySet().forEach(node -> {
            if (marks.containsKey(node)) {
                gapStarts.put(node, marks.get(node));
            }
        }));
        Map<String, Instant> filledFrom = held.firstAfter(gapStarts);
        List<List<RawSample>> batches = held.drain();
        for (int i = 0; i < batches.size(); i++) {
            try {
                forwarder.forward(role, batches.get(i));
            } catch (Forwarder.BufferRefusedException e) {
                batches.subList(i, batches.size()).forEach(batch -> held.add(batch, clock.instant()));
                refused = true;
                break;
            }
        }
        result.ifPresent(r -> record(role, r, marks, gapStarts, filledFrom));
        if (refused) {
            retryLater(role);
        } else if (again) {
            startBackfill(role);
        }
    }

    /** The buffer refused: hold the live stream and read back from history in a while. */
    private void retryLater(ServerRole role) {
        backfilling = true;
        recent.get(role).pin();
        try {
            loop.schedule(() -> {
                backfilling = false;
                if (liveFrom != null) {
                    startBackfill(liveFrom);
                } else {
                    recent.get(role).unpin();
                }
            }, RETRY_AFTER_REFUSAL_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Source pair {}: closing, no retry", plan.name());
        }
    }

    /** Turns what the backfill could not read, minus what the recent stream filled, into a hole. */
    private void record(ServerRole role, Backfiller.Result result, Map<String, Instant> marks, Map<String, Instant> gapStarts,
                        Map<String, Instant> filledFrom) {
        Instant holeFrom = null;
        Instant holeTo = null;
        int holeNodes = 0;
        Duration longest = Duration.ZERO;
        for (Map.Entry<String, Instant> gap : gapStarts.entrySet()) {
            // only where a later value proves the node went on: a register that reports on change
            // and had nothing new is no hole
            Instant end = filledFrom.get(gap.getKey());
            if (end == null) {
                // judged when the node's next live value comes
                pendingGaps.put(gap.getKey(), new PendingGap(gap.getValue(), role.wireName(),
                        result.problem().orElse("no value")));
                continue;
            }
            Duration missing = Duration.between(gap.getValue(), end);
            if (missing.compareTo(allowedStep(gap.getKey())) > 0) {
                holeNodes++;
                holeFrom = holeFrom == null || gap.getValue().isBefore(holeFrom) ? gap.getValue() : holeFrom;
                holeTo = holeTo == null || end.isAfter(holeTo) ? end : holeTo;
                longest = missing.compareTo(longest) > 0 ? missing : longest;
            }
        }
        Instant oldestMark = marks.values().stream().min(Instant::compareTo).orElse(result.from());
        Duration cut = result.truncated() && oldestMark.isBefore(result.from())
                ? Duration.between(oldestMark, result.from()) : Duration.ZERO;
        if (!cut.isZero()) {
            completeness.record(new Hole(oldestMark, result.from(), marks.size(), role.wireName(),
                    "gap longer than max-window " + plan.backfill().maxWindow()));
        }
        Duration unfilled = longest.plus(cut);
        nodesWithoutHistory.put(role, result.failedNodes().size());
        BackfillReport report = new BackfillReport(role.wireName(), result.from(), result.to(), result.readings(),
                result.truncated(), unfilled, result.problem(), result.failedNodes().size());
        lastBackfill = report;
        if (holeNodes > 0) {
            Hole hole = new Hole(holeFrom, holeTo, holeNodes, role.wireName(), result.problem().orElse("no value"));
            completeness.record(hole);
        }
        if (!unfilled.isZero()) {
            unfilledSeconds.increment(unfilled.toMillis() / 1000.0);
        }
        if (holeNodes > 0 || result.truncated()) {
            log.warn("Source pair {}: backfill {} .. {} from the {} server left {} unfilled for {} node(s): {} ({} readings"
                    + " recovered)", plan.name(), result.from(), result.to(), role.wireName(), unfilled, holeNodes,
                    result.problem().orElse("gap longer than max-window"), result.readings());
        } else if (result.problem().isPresent()) {
            log.info("Source pair {}: backfilled {} reading(s) for {} .. {} from the {} server; the rest of the seam"
                    + " came from its live stream: {}", plan.name(), result.readings(), result.from(), result.to(),
                    role.wireName(), result.problem().get());
        } else {
            log.info("Source pair {}: backfilled {} reading(s) for {} .. {} from the {} server", plan.name(),
                    result.readings(), result.from(), result.to(), role.wireName());
        }
    }

    /** How far apart a node's values may be without a hole between them. */
    private Duration allowedStep(String nodeId) {
        Duration step = cadence.of(nodeId);
        return step == null ? MIN_HOLE : step.plus(step.dividedBy(2));
    }

    /** A gap no backfill could fill, waiting for the node's next live value to say how long it was. */
    private record PendingGap(Instant from, String server, String reason) {
    }

    /** The batch was forwarded live: the nodes' pending gaps end here; those too long are holes. */
    private void closePendingGaps(List<RawSample> batch) {
        Instant from = null;
        Instant to = null;
        int nodes = 0;
        PendingGap any = null;
        for (RawSample sample : batch) {
            PendingGap gap = pendingGaps.remove(sample.nodeId());
            if (gap == null || sample.sourceTime() == null) {
                continue;
            }
            if (Duration.between(gap.from(), sample.sourceTime()).compareTo(allowedStep(sample.nodeId())) > 0) {
                nodes++;
                any = gap;
                from = from == null || gap.from().isBefore(from) ? gap.from() : from;
                to = to == null || sample.sourceTime().isAfter(to) ? sample.sourceTime() : to;
            }
        }
        if (nodes > 0) {
            Hole hole = new Hole(from, to, nodes, any.server(), any.reason());
            completeness.record(hole);
            unfilledSeconds.increment(hole.length().toMillis() / 1000.0);
            log.warn("Source pair {}: {} .. {} of {} node(s) could not be filled: {}", plan.name(), from, to, nodes,
                    any.reason());
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** @return false when the loop is closed */
    private boolean onLoop(Runnable task) {
        ScheduledExecutorService current = loop;
        if (current == null) {
            return false;
        }
        try {
            current.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Source pair {}: unexpected failure on the pair's loop", plan.name(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private <T> T callOnLoop(Callable<T> task) {
        try {
            return loop.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the pair is closing", e);
        }
    }

    @Override
    public synchronized void close() {
        stopThreadsAndServers();
        if (watermarks.isPresent()) {
            saveWatermarks(); // the loop has stopped: nothing else touches the gate now
        }
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
        if (backfillExecutor != null) {
            backfillExecutor.shutdownNow();
        }
        if (loop != null) {
            loop.shutdownNow();
            try {
                if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("Source pair {}: the pair's loop did not stop within 5 s", plan.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        new ArrayList<>(servers.values()).forEach(PairServer::stop);
        servers.clear();
        openServers.clear();
    }

    /**
     * At most 500,000 samples, and at most {@code 1/fraction} of the heap: at 10,000 tags two
     * servers' 60 s windows held 1,020,000 samples, 115 MB of a 256 MB heap, and GC took 36 % of
     * the time (bench, 2026-12-04). A shorter window only means a longer seam must come from
     * history (or is a reported hole), never a heap that runs out.
     */
    private static int heapBound(int fraction) {
        return (int) Math.min(500_000, Runtime.getRuntime().maxMemory() / fraction / BYTES_PER_HELD_SAMPLE);
    }
}
