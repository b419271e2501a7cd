package io.busbar.routes.source;

import io.busbar.connectors.opcua.ConnectionState;
import io.busbar.connectors.opcua.OpcUaSource;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.RawSample;
import io.busbar.mappings.Reading;
import io.busbar.mappings.ServerRole;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one source pair: connects its servers as the redundancy mode says, feeds what they report
 * into the {@link PairSelector}, forwards the active server's values once each, and closes every
 * gap — after a switchover, after both servers were down, after the buffer refused a batch — from
 * the newly active server's history.
 *
 * <p>While a backfill runs, live batches of the active server wait in memory and follow the
 * history, so each node's readings reach the buffer in source-time order. Everything that touches
 * the gate runs under one lock per pair.
 *
 * <p>Which active server is forwarded is the {@link ForwardingScope}'s decision: beside a server
 * (co-located deployment) only while that server is active; otherwise whichever is active.
 */
public final class SourcePairRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SourcePairRuntime.class);
    static final long SELECTION_PERIOD_MS = 100;
    /** Live samples held while a backfill runs; beyond this they are dropped and read back from history. */
    static final int MAX_HELD_SAMPLES = 500_000;
    static final long RETRY_AFTER_REFUSAL_MS = 1_000;
    /** How often changed watermarks are saved; a crash replays at most this much (same keys). */
    static final long WATERMARK_SAVE_PERIOD_MS = 500;
    /** Cold mode: how long the primary may take to come up at start before the standby is connected. */
    static final Duration COLD_STANDBY_GRACE = Duration.ofSeconds(5);

    private final SourcePairPlan plan;
    private final ForwardingScope scope;
    private final Clock clock;
    private final PairSelector selector;
    private final ForwardGate gate = new ForwardGate();
    private final Forwarder forwarder;
    private final Backfiller backfiller;
    private final Map<ServerRole, OpcUaSource> servers = new EnumMap<>(ServerRole.class);
    private final Map<ServerRole, SourceSubscription> dataSubscriptions = new EnumMap<>(ServerRole.class);
    private final Object lock = new Object();
    private final List<List<RawSample>> held = new ArrayList<>();
    private final Counter backfilled;
    private final Counter unfilledSeconds;
    private final Counter switchoversCounter;
    private int heldSamples;
    private boolean heldOverflow;
    private boolean backfilling;
    private volatile BackfillReport lastBackfill;
    private final Optional<WatermarkFile> watermarks;
    private final Optional<ForwardLog> forwardLog;
    private long savedVersion;
    private Instant startedAt;
    private ScheduledExecutorService scheduler;
    private ExecutorService backfillExecutor;
    /**
     * The server whose live values are forwarded, as the last switchover set it. Written under
     * {@link #lock}; volatile so a standby's batch is dropped without waiting for the lock, which
     * the active server's durable hand-off holds.
     */
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
        this.plan = plan;
        this.forwardLog = forwardLog;
        this.scope = scope;
        this.clock = clock;
        this.watermarks = watermarkFile.map(WatermarkFile::new);
        this.selector = new PairSelector(plan.name(), plan.redundancy(), plan.secondary().isPresent(), clock);
        this.forwarder = new Forwarder(plan.name(), plan.mapping(), sink, gate, new Validator(clock), registry);
        this.backfiller = new Backfiller(plan.mapping().nodeIds(), gate, plan.backfill(), clock);
        this.backfilled = Counter.builder("busbar.backfill.readings").description("Readings forwarded from history")
                .tag("pair", plan.name()).register(registry);
        this.unfilledSeconds = Counter.builder("busbar.backfill.unfilled.seconds")
                .description("Seconds of gaps that could not be filled from history").tag("pair", plan.name()).register(registry);
        this.switchoversCounter = Counter.builder("busbar.redundancy.switchovers").description("Changes of the active server")
                .tag("pair", plan.name()).register(registry);
        Gauge.builder("busbar.redundancy.active", this, r -> r.selector.active().map(role -> role.ordinal() + 1).orElse(0))
                .description("Active server: 0 none, 1 primary, 2 secondary").tag("pair", plan.name()).register(registry);
        for (ServerRole role : ServerRole.values()) {
            Gauge.builder("busbar.redundancy.service.level", this,
                            r -> r.selector.health(role).serviceLevel().orElse(-1))
                    .description("ServiceLevel the server reports, -1 unknown").tag("pair", plan.name())
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
        reselect();
    }

    public synchronized void start() {
        watermarks.ifPresent(this::restoreWatermarks);
        startedAt = clock.instant();
        forwardingSince = startedAt;
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("busbar-select-" + plan.name()));
        backfillExecutor = Executors.newSingleThreadExecutor(daemon("busbar-backfill-" + plan.name()));
        connect(plan.primary());
        // cold: the standby is connected only when the active one fails (see reselect)
        if (plan.redundancy().mode() != RedundancyMode.COLD) {
            plan.secondary().ifPresent(this::connect);
        }
        scheduler.scheduleWithFixedDelay(this::reselect, 0, SELECTION_PERIOD_MS, TimeUnit.MILLISECONDS);
        if (watermarks.isPresent()) {
            scheduler.scheduleWithFixedDelay(this::saveWatermarks, WATERMARK_SAVE_PERIOD_MS, WATERMARK_SAVE_PERIOD_MS,
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
        Map<String, Instant> watermarks = new HashMap<>(saved);
        for (Reading reading : readings) {
            String node = nodes.get(reading.meter() + "\n" + reading.quantity());
            if (node != null) {
                watermarks.merge(node, reading.sourceTime(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return watermarks;
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
        OpcUaSource source = new OpcUaSource(server.role(), server.options());
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
        source.addServiceLevelListener((role, level) -> observations.serviceLevel(level, clock.instant()));
        synchronized (this) {
            servers.put(server.role(), source);
            dataSubscriptions.put(server.role(), data);
        }
        source.start();
    }

    private void reselect() {
        try {
            for (ServerRole role : ServerRole.values()) {
                OpcUaSource source = servers.get(role);
                if (source != null) {
                    selector.observations(role).connected(source.connectionState() == ConnectionState.CONNECTED, clock.instant());
                }
            }
            startColdStandbyIfNeeded();
            selector.evaluate().ifPresent(this::onSwitchover);
            boolean now = forwardedServer().isPresent();
            if (now != forwarding) {
                forwarding = now;
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
        // Under the lock, so that a live batch of the new server never gets in between: forwarded
        // before the watermarks were prepared and the backfill started, it would move the gate past
        // the gap and the backfill would skip what it was to close.
        synchronized (lock) {
            liveFrom = switchover.to().filter(scope::forwards).orElse(null);
            if (liveFrom != null) {
                if (scope.beside().isPresent()) {
                    prepareTakeover();
                }
                startBackfill(liveFrom);
            }
        }
    }

    /**
     * Co-located: the partner instance forwarded until now, so this one's watermarks say nothing
     * about the gap; start from its own recent watermark or from now minus the takeover overlap.
     */
    private void prepareTakeover() { // called under the lock, by onSwitchover
        gate.restore(TakeoverPoints.of(plan.mapping().nodeIds(), gate.snapshot(), Duration.ZERO,
                scope.takeoverOverlap(), plan.backfill().maxWindow(), clock.instant()));
        log.info("Source pair {}: the {} server this instance runs beside is active: taking over forwarding",
                plan.name(), scope.beside().orElseThrow().wireName());
    }

    private void startBackfill(ServerRole role) {
        synchronized (lock) {
            if (backfilling) {
                return; // the running one re-checks the active server and runs again if needed
            }
            backfilling = true;
        }
        backfillExecutor.execute(() -> backfill(role));
    }

    /**
     * Backfills from the active server, then releases the held live batches. Runs again when the
     * held batches overflowed, the buffer refused a batch, or the active server changed meanwhile.
     */
    private void backfill(ServerRole firstRole) {
        ServerRole role = firstRole;
        while (true) {
            boolean again = false;
            boolean refused = false;
            OpcUaSource server = servers.get(role);
            ServerRole current = role;
            try {
                if (server != null) {
                    backfiller.run(server, this::forwardHistory, () -> forwardedServer().equals(Optional.of(current)))
                            .ifPresent(this::record);
                }
            } catch (Forwarder.BufferRefusedException e) {
                refused = true;
            } catch (RuntimeException e) {
                log.error("Source pair {}: backfill from the {} server failed", plan.name(), role.wireName(), e);
            }
            synchronized (lock) {
                Optional<ServerRole> active = forwardedServer();
                if (active.equals(Optional.of(role))) {
                    again = refused || releaseHeld(role);
                } else {
                    discardHeld();
                    again = active.isPresent();
                    role = active.orElse(role);
                }
                if (!again) {
                    backfilling = false;
                    return;
                }
            }
            if (refused) {
                sleepBeforeRetry();
            }
        }
    }

    private int forwardHistory(List<RawSample> history) {
        Optional<ServerRole> active = forwardedServer();
        if (active.isEmpty()) {
            return 0;
        }
        synchronized (lock) {
            int count = forwarder.forward(active.get(), history);
            backfilled.increment(count);
            return count;
        }
    }

    /**
     * Forwards the live batches held during the backfill. Called under the lock.
     *
     * @return true when another backfill round is needed (held samples overflowed or the buffer refused)
     */
    private boolean releaseHeld(ServerRole role) {
        boolean again = heldOverflow;
        try {
            for (List<RawSample> batch : held) {
                forwarder.forward(role, batch);
            }
        } catch (Forwarder.BufferRefusedException e) {
            again = true;
        }
        discardHeld();
        return again;
    }

    private void discardHeld() {
        held.clear();
        heldSamples = 0;
        heldOverflow = false;
    }

    private void record(BackfillReport report) {
        lastBackfill = report;
        if (!report.unfilled().isZero()) {
            unfilledSeconds.increment(report.unfilled().toMillis() / 1000.0);
        }
        if (report.problem().isPresent()) {
            log.warn("Source pair {}: backfill {} .. {} from the {} server left {} unfilled: {} ({} readings recovered)",
                    plan.name(), report.from(), report.to(), report.server(), report.unfilled(), report.problem().get(),
                    report.readings());
        } else {
            log.info("Source pair {}: backfilled {} reading(s) for {} .. {} from the {} server", plan.name(),
                    report.readings(), report.from(), report.to(), report.server());
        }
    }

    void onSamples(ServerRole role, List<RawSample> batch) {
        RawSample last = batch.get(batch.size() - 1);
        selector.observations(role).value(last.nodeId(), last.value(), last.statusCode(), clock.instant());
        if (role != liveFrom && !forwardedServer().equals(Optional.of(role))) {
            return; // standby: checked again under the lock, where a switchover may just have changed it
        }
        synchronized (lock) {
            if (role != liveFrom) {
                if (forwardedServer().equals(Optional.of(role))) {
                    // the selector has just made this server active and the switchover is about to be
                    // accepted: keep the batch for after its backfill (the first activation has none
                    // that would read it back)
                    hold(batch);
                }
                return; // standby, or the partner instance forwards it: subscribed (hot), not forwarded
            }
            if (backfilling) {
                hold(batch);
                return;
            }
            try {
                forwarder.forward(role, batch);
            } catch (Forwarder.BufferRefusedException e) {
                backfilling = true;
                backfillExecutor.execute(() -> {
                    sleepBeforeRetry();
                    backfill(role);
                });
                // from now on live batches are held until the backfill has closed the gap
            }
        }
    }

    private void hold(List<RawSample> batch) {
        if (heldSamples + batch.size() > MAX_HELD_SAMPLES) {
            heldOverflow = true; // read back from history in the next round
            return;
        }
        held.add(batch);
        heldSamples += batch.size();
    }

    private static void sleepBeforeRetry() {
        try {
            TimeUnit.MILLISECONDS.sleep(RETRY_AFTER_REFUSAL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public synchronized void close() {
        stopThreadsAndServers();
        if (watermarks.isPresent()) {
            synchronized (lock) {
                saveWatermarks();
            }
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
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (backfillExecutor != null) {
            backfillExecutor.shutdownNow();
        }
        servers.values().forEach(OpcUaSource::stop);
        servers.clear();
    }
}
