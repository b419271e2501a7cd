package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.ForwardGate;
import io.busbar.routes.DeliveryBacklog;
import io.busbar.routes.plan.SourcePairPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a pair's gaps — after a switchover, after both servers were down, after the buffer refused
 * a batch, after the live stream skipped a slot — from the newly live server's history, then from
 * the samples it streamed meanwhile ({@link RecentSamples}), then its live stream; and judges what
 * neither could fill as a {@link Hole}.
 *
 * <p>Owned by the pair's loop, except the history read, which runs on the backfill thread and
 * forwards its slices on the loop (which owns the gate).
 */
final class PairBackfill {

    private static final Logger log = LoggerFactory.getLogger(PairBackfill.class);
    static final long RETRY_AFTER_REFUSAL_MS = 1_000;
    /** A node's values further apart than this after a gap, with nothing to fill them, are a hole. */
    static final Duration MIN_HOLE = Duration.ofMillis(1_500);
    /** A read-back's wait for the targets shorter than this is not worth a word in its log line. */
    private static final Duration MIN_WAIT_WORTH_SAYING = Duration.ofMillis(100);

    private final SourcePairPlan plan;
    private final Clock clock;
    private final ForwardGate gate;
    private final Forwarder forwarder;
    private final Backfiller backfiller;
    private final Completeness completeness;
    private final NodeCadence cadence;
    private final SlotSkips skips;
    private final Map<ServerRole, RecentSamples> recent;
    private final Map<ServerRole, PairServer> servers;
    private final PairLoop loop;
    private final PairMeters meters;
    private final StartHold hold;
    /** Where the {@link StartHold}'s released values go: the live stream's forwarding (made after this). */
    private final Supplier<Live> live;
    private final Map<ServerRole, Integer> nodesWithoutHistory = new EnumMap<>(ServerRole.class);
    private final Map<String, PendingGap> pendingGaps = new HashMap<>();
    private volatile boolean backfilling;
    private boolean again;
    /** The server whose live values are forwarded, as the last switchover set it; read by the backfill thread. */
    private volatile ServerRole liveFrom;
    /**
     * Whether the watermarks are {@link #liveFrom}'s own source times (a read-back of it has
     * finished since it became live): a read-back of its own drop or skip then needs no overlap.
     * At 10,000 tags × 10 Hz the overlap alone was 500,000 values read again for every dropped batch.
     */
    private boolean ownMarks;
    /** The server a deferred read-back waits for ({@link #later}); null while none waits. */
    private ServerRole waitingFor;
    /**
     * What the next round reads: every node (a switchover, a dropped batch, a refusal: what is
     * missing is not known node by node), else only the nodes whose live stream skipped a slot. A
     * skip of one node read all 10,000 nodes' history up to now at 10 Hz, faster than the live
     * stream that lagged behind: 669,403 readings in 61 s for one missing value (bench, 2026-12-05).
     */
    private boolean nextAll;
    /** The nodes of the next round by {@link NodeSlots slot}, unless {@link #nextAll}. */
    private final BitSet nextSlots = new BitSet();
    private final NodeSlots slots;
    /**
     * Where the next round ends: now, unless it only reads dropped batches (their newest time: the
     * live stream after them is held, and brings the rest).
     */
    private boolean nextUntilNow;
    private Instant nextUntil;
    /**
     * When the pair's stream began (its first read-back's end): a node never forwarded is read from
     * here, what lies before only learnt from, what lies after forwarded — a batch its first seconds
     * lost to an overflowing window comes from history like any other.
     */
    private Instant streamStart;
    private boolean startLogged;
    private volatile BackfillReport lastReport;
    private final DeliveryBacklog backlog;
    /** What the running read-back waited for the targets so far, in nanoseconds. */
    private final AtomicLong waitedNanos = new AtomicLong();

    PairBackfill(SourcePairPlan plan, Clock clock, ForwardGate gate, Forwarder forwarder, Completeness completeness,
                 NodeCadence cadence, SlotSkips skips, Map<ServerRole, RecentSamples> recent,
                 Map<ServerRole, PairServer> servers, PairLoop loop, PairMeters meters, NodeSlots slots, StartHold hold,
                 Supplier<Live> live, DeliveryBacklog backlog) {
        this.plan = plan;
        this.backlog = backlog;
        this.hold = hold;
        this.live = live;
        this.slots = slots;
        this.clock = clock;
        this.gate = gate;
        this.forwarder = forwarder;
        this.backfiller = new Backfiller(plan.mapping().nodeIds(), plan.backfill(), new TargetsPace());
        this.completeness = completeness;
        this.cadence = cadence;
        this.skips = skips;
        this.recent = recent;
        this.servers = servers;
        this.loop = loop;
        this.meters = meters;
    }

    /** A read-back reads on while the targets keep up with the buffer. */
    private final class TargetsPace implements ReadBackPace {

        @Override
        public boolean mayRead() {
            return !backlog.behind();
        }

        @Override
        public void waited(Duration time) {
            waitedNanos.addAndGet(time.toNanos());
            meters.backfillWaited.increment(time.toNanos() / 1e9);
        }
    }

    /** The live stream's forwarding ({@link LiveBatches}), which values held at the stream's start rejoin. */
    interface Live {

        /** Values the {@link StartHold} let go: forwarded as the live stream is. */
        void released(ServerRole role, List<RawSample> samples);

        /** Batches the server streamed before it became live: on as if they came now, in order. */
        void resume(ServerRole role, List<List<RawSample>> batches);
    }

    /** The server whose live stream is forwarded, or null while none is. */
    ServerRole liveFrom() {
        return liveFrom;
    }

    void liveFrom(ServerRole role) {
        if (role != liveFrom) {
            ownMarks = false;
            if (role != null) {
                backfiller.forget(role);
            }
            // what it held of the old server is read back from the watermarks (or the stream's start),
            // or filled from the old server's recent samples where the new one's history lacks it
            ServerRole old = hold.holding() ? liveFrom : null;
            List<RawSample> held = hold.handOver(role);
            if (old != null && !held.isEmpty()) {
                recent.get(old).add(held, clock.instant());
            }
        }
        liveFrom = role;
    }

    /** Whether a gap is being read back now (or the read-back waits for a retry). */
    boolean running() {
        return backfilling;
    }

    Optional<BackfillReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    int nodesWithoutHistory(ServerRole role) {
        return nodesWithoutHistory.getOrDefault(role, 0);
    }

    /**
     * Reads the gap back from {@code role}; its live batches wait in its recent samples meanwhile.
     * A node never forwarded yet (the pair's first activation, a node new to the mapping) has no gap,
     * but its first few values over the overlap before now are read for its cadence alone
     * ({@link Backfiller.Lead}): known before its first live value is judged, a slot the live stream
     * skips in its first seconds is read back like any later one instead of being passed by the gate
     * for good. Not forwarded: at 10,000 tags × 10 Hz that lead-in was 500,000 readings, 48 s of work
     * at the start while the live stream waited and overflowed (bench, 2026-12-05). At the pair's
     * first activation the live stream does not wait for it: see {@link #startStream}.
     */
    void start(ServerRole role) {
        nextAll = true;
        begin(role);
    }

    /**
     * Reads back only {@code nodes} after {@code delay}, the live stream held till then.
     *
     * @param until the newest source time to read (a dropped batch's); null: up to now
     */
    void startFor(ServerRole role, Collection<String> nodes, Duration delay, Instant until) {
        request(nodes);
        readUntil(until);
        later(role, delay);
    }

    /** As {@link #startFor(ServerRole, Collection, Duration, Instant)}, for the nodes of a dropped batch, at once. */
    void startFor(ServerRole role, Dropped what) {
        if (!nextAll) {
            nextSlots.or(what.slots());
        }
        readUntil(what.newest());
        later(role, Duration.ZERO);
    }

    private void request(Collection<String> nodes) {
        if (!nextAll) {
            for (String node : nodes) {
                int slot = slots.slotOf(node, SampleColumns.NO_SLOT);
                if (slot >= 0) {
                    nextSlots.set(slot);
                }
            }
        }
    }

    private void readUntil(Instant until) {
        if (until == null) {
            nextUntilNow = true;
        } else if (nextUntil == null || until.isAfter(nextUntil)) {
            nextUntil = until;
        }
    }

    private void begin(ServerRole role) {
        if (waitingFor != null && waitingFor != role) {
            // a switchover does not wait for the old server's deferred read-back
            recent.get(waitingFor).unpin();
            waitingFor = null;
            backfilling = false;
        }
        if (backfilling) {
            again = true; // the running one ends with another round
            return;
        }
        PairServer server = servers.get(role);
        if (server == null) {
            return;
        }
        if (streamStart == null && nextAll && gate.snapshot().isEmpty()) {
            startStream(role, server);
            return;
        }
        backfilling = true;
        again = false;
        pin(role);
        Map<String, Instant> marks = new HashMap<>(gate.snapshot());
        if (!nextAll) {
            marks.keySet().removeIf(node -> { // none requested: a round that only drains what it held
                int slot = slots.slotOf(node, SampleColumns.NO_SLOT);
                return slot < 0 || !nextSlots.get(slot);
            });
        }
        Instant now = clock.instant();
        // Part 11 reads up to, not including, the end: one nanosecond past the dropped batch's newest
        Instant to = nextAll || nextUntilNow || nextUntil == null || !nextUntil.isBefore(now) ? now
                : nextUntil.plusNanos(1);
        nextUntilNow = false;
        nextUntil = null;
        if (streamStart == null) {
            streamStart = to;
        }
        Map<String, Instant> starts = new HashMap<>(marks);
        Set<String> neverForwarded = new HashSet<>();
        // a node never forwarded: from the stream's start (a node that never had a value since a
        // start long ago: from the window's edge, not reported as a gap beyond it). Requested alone
        // when its first batch skipped a slot: the batch waits, and without this read it skipped again
        Instant edge = to.minus(plan.backfill().maxWindow()).plus(plan.backfill().overlap());
        Instant neverForwardedFrom = streamStart.isBefore(edge) ? edge : streamStart;
        if (nextAll) {
            plan.mapping().nodeIds().forEach(node -> readFromStart(node, neverForwardedFrom, starts, neverForwarded));
        } else {
            nextSlots.stream().forEach(slot -> readFromStart(slots.nodeId(slot), neverForwardedFrom, starts,
                    neverForwarded));
        }
        nextAll = false;
        nextSlots.clear();
        Duration overlap = ownMarks && role == liveFrom ? Duration.ZERO : plan.backfill().overlap();
        Backfiller.Lead lead = new Backfiller.Lead(neverForwarded, neverForwardedFrom, plan.backfill().overlap(),
                history -> learn(role, history));
        waitedNanos.set(0);
        try {
            loop.inBackground(() -> read(server, marks, starts, lead, to, overlap));
        } catch (RejectedExecutionException e) {
            backfilling = false; // closing
        }
    }

    /**
     * The pair's first activation: nothing was ever forwarded, so there is no gap, only the stream's
     * start. The live stream goes on at once, each node as soon as its cadence is known
     * ({@link StartHold}), while each node's first few values of the overlap before now are sampled
     * for the cadences its first live values do not tell (slow nodes, or the sample is quicker); when
     * the sample has been read, the nodes still held go on, their cadence known or not.
     */
    private void startStream(ServerRole role, PairServer server) {
        nextAll = false;
        nextSlots.clear();
        nextUntilNow = false;
        nextUntil = null;
        Instant now = clock.instant();
        streamStart = now;
        ownMarks = true; // whatever is forwarded from now on is its own
        hold.begin(role);
        Map<String, Instant> starts = new HashMap<>();
        plan.mapping().nodeIds().forEach(node -> starts.put(node, now));
        Backfiller.Lead lead = new Backfiller.Lead(Set.copyOf(starts.keySet()), now, plan.backfill().overlap(),
                history -> learnAtStart(role, history));
        try {
            loop.inBackground(() -> sampleAtStart(server, starts, lead, now));
        } catch (RejectedExecutionException e) {
            log.debug("Source pair {}: closing, no start sample", plan.name());
            return;
        }
        live.get().resume(role, recent.get(role).drain()); // what it streamed before the selection
    }

    /** On the backfill thread: a read of nothing but the lead, whose samples go to {@link #learnAtStart}. */
    private void sampleAtStart(PairServer server, Map<String, Instant> starts, Backfiller.Lead lead, Instant now) {
        ServerRole role = server.role();
        Optional<Backfiller.Result> result = Optional.empty();
        try {
            result = backfiller.run(server, starts, now, Duration.ZERO, lead, history -> 0, () -> liveFrom == role);
        } catch (PairLoop.ClosingException e) {
            log.debug("Source pair {}: sampling the {} server's history stopped: {}", plan.name(), role.wireName(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.error("Source pair {}: sampling the {} server's history at the start failed", plan.name(),
                    role.wireName(), e);
        }
        Optional<Backfiller.Result> done = result;
        loop.execute(() -> startSampled(role, done));
    }

    /** On the backfill thread: the start's history sample gives cadences, and the held nodes that got one go on. */
    private void learnAtStart(ServerRole role, List<RawSample> history) {
        loop.call(() -> {
            if (liveFrom == role) {
                live.get().released(role, hold.learnt(history));
            }
            return null;
        });
    }

    private void startSampled(ServerRole role, Optional<Backfiller.Result> result) {
        result.ifPresent(r -> nodesWithoutHistory.put(role, r.failedNodes().size()));
        if (liveFrom != role) {
            return;
        }
        if (!startLogged) {
            log.info("Source pair {}: the stream starts live from the {} server{}", plan.name(), role.wireName(),
                    result.flatMap(Backfiller.Result::problem).map(problem -> " (" + problem + ")").orElse(""));
            startLogged = true;
        }
        if (hold.holding(role)) {
            live.get().released(role, hold.sampled(clock.instant()));
        }
    }

    /**
     * The server's live stream waits in its recent samples from now on: after what the
     * {@link StartHold} held of it, which goes first (what it held of another server is dropped: those
     * nodes were never forwarded, and are read from the stream's start). Once the start's sample has
     * been read, the hold keeps its values instead and the window's batches pass it when drained
     * ({@link #finish}): its nodes' cadences are still to be learnt from them.
     */
    private void pin(ServerRole role) {
        RecentSamples window = recent.get(role);
        window.pin();
        if (hold.afterSample()) {
            return;
        }
        boolean mine = hold.holding(role);
        List<RawSample> held = hold.end();
        if (mine && !held.isEmpty()) {
            window.add(held, clock.instant());
        }
    }

    private static void readFromStart(String node, Instant streamStart, Map<String, Instant> starts,
                                      Set<String> neverForwarded) {
        if (starts.putIfAbsent(node, streamStart) == null) {
            neverForwarded.add(node);
        }
    }

    /**
     * On the backfill thread.
     *
     * @param marks  the nodes' watermarks: where their gaps start
     * @param starts where each node's read starts (before the overlap): its watermark, else the
     *               stream's start
     * @param lead   the nodes never forwarded: their history before the stream's start is sampled for
     *               their cadence, what follows is forwarded
     */
    private void read(PairServer server, Map<String, Instant> marks, Map<String, Instant> starts,
                      Backfiller.Lead lead, Instant to, Duration overlap) {
        ServerRole role = server.role();
        Optional<Backfiller.Result> result = Optional.empty();
        boolean refused = false;
        try {
            // a sample read meanwhile (the start's, before this round on this thread) may have given cadences:
            // at 50,000 tags a round after the start's overflow sampled every node a second time
            Set<String> unknown = lead.nodes().isEmpty() ? Set.of()
                    : loop.call(() -> cadence.unknownOf(lead.nodes()));
            result = backfiller.run(server, starts, to, overlap, lead.sampling(unknown),
                    history -> forwardHistory(role, history), () -> liveFrom == role);
        } catch (Forwarder.BufferRefusedException e) {
            refused = true;
        } catch (PairLoop.ClosingException e) {
            // a shutdown during a backfill: what was not forwarded is read again at the next start
            log.debug("Source pair {}: backfill from the {} server stopped: {}", plan.name(), role.wireName(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Source pair {}: backfill from the {} server failed", plan.name(), role.wireName(), e);
        }
        Optional<Backfiller.Result> done = result;
        boolean wasRefused = refused;
        loop.execute(() -> finish(role, marks, done, wasRefused));
    }

    /** On the backfill thread: a slice of history is forwarded on the loop, which owns the gate. */
    private int forwardHistory(ServerRole role, List<RawSample> history) {
        return loop.call(() -> {
            if (liveFrom != role) {
                return 0;
            }
            cadence.observe(history);
            int count = history.isEmpty() ? 0 : forwarder.forward(role, history);
            meters.backfilled.increment(count);
            return count;
        });
    }

    /** On the backfill thread: history before a never-forwarded node's stream, for its cadence only. */
    private void learn(ServerRole role, List<RawSample> history) {
        loop.call(() -> {
            if (liveFrom == role) {
                cadence.observe(history);
            }
            return null;
        });
    }

    /** After the history: the server's recent samples follow, then its live stream. */
    private void finish(ServerRole role, Map<String, Instant> marks, Optional<Backfiller.Result> result, boolean refused) {
        backfilling = false;
        RecentSamples held = recent.get(role);
        if (role != liveFrom) {
            held.unpin(); // no longer forwarded: its stream stays a standby's recent samples
            if (liveFrom != null) {
                start(liveFrom);
            }
            return;
        }
        // another round: at once after a request meanwhile or an overflow, else when a skipped slot's read-back is due
        Duration roundIn = again || held.overflowed() ? Duration.ZERO : null;
        nextAll |= held.overflowed(); // what the window lost is not known node by node
        Map<String, Instant> gapStarts = new HashMap<>();
        result.ifPresent(r -> r.failedNodes().keySet().forEach(node -> {
            if (marks.containsKey(node)) {
                gapStarts.put(node, marks.get(node));
            }
        }));
        Set<String> historyFailed = result.map(r -> r.failedNodes().keySet()).orElse(Set.of());
        Map<String, Instant> filledFrom = held.firstAfter(gapStarts);
        try {
            fillFromPartner(role, gapStarts, filledFrom);
        } catch (Forwarder.BufferRefusedException e) {
            refused = true;
        }
        List<List<RawSample>> batches = refused ? List.of() : held.drain();
        for (int i = 0; i < batches.size(); i++) {
            List<RawSample> batch = batches.get(i);
            if (hold.holding(role)) {
                batch = hold.admit(batch, clock.instant());
                if (hold.overflowed()) {
                    // what it dropped is read from the watermarks before anything later goes
                    holdAgain(held, batch, batches.subList(i + 1, batches.size()));
                    nextAll = true;
                    roundIn = Duration.ZERO;
                    break;
                }
                if (batch.isEmpty()) {
                    continue;
                }
            }
            // a node whose history just failed is judged by its pending gap, or not at all (never
            // forwarded): another read-back would fail alike, holding the stream every 5 s
            SlotSkips.ReadBack readBack = skips.readBackIn(role, batch, historyFailed);
            if (readBack != null) {
                // skipped while the read-back ran: the slot from history first, in another round
                holdAgain(held, batch, batches.subList(i + 1, batches.size()));
                roundIn = roundIn == null ? readBack.in() : Duration.ZERO;
                request(readBack.nodes());
                nextUntilNow = true;
                break;
            }
            try {
                forwarder.forward(role, batch);
                cadence.observe(batch);
            } catch (Forwarder.BufferRefusedException e) {
                holdAgain(held, batch, batches.subList(i + 1, batches.size()));
                refused = true;
                break;
            }
        }
        result.ifPresent(r -> record(role, r, marks, gapStarts, filledFrom));
        ownMarks |= !refused;
        if (refused) {
            retryLater(role);
        } else if (roundIn != null) {
            later(role, roundIn);
        }
    }

    /** Batches not forwarded after all go back to the window, to follow the next read-back. */
    private void holdAgain(RecentSamples held, List<RawSample> first, List<List<RawSample>> rest) {
        Instant now = clock.instant();
        if (!first.isEmpty()) {
            held.add(first, now);
        }
        rest.forEach(batch -> held.add(batch, now));
    }

    /**
     * The nodes whose history the server could not read, from the partner's stream: a hot standby
     * streamed the seconds the live server skipped or missed (a late update, a dropped publish) of a
     * node that neither historizes. Only what lies before the live server's own first value after the
     * gap: its own stream stays the source wherever it has the value. Each gap then starts at the
     * newest value the partner gave.
     *
     * @param gapStarts per node whose history failed, its watermark: moved to what the partner filled
     * @param ownFirst  per node, the live server's first held value after the gap
     */
    private void fillFromPartner(ServerRole role, Map<String, Instant> gapStarts, Map<String, Instant> ownFirst) {
        RecentSamples partner = recent.get(role.partner());
        if (gapStarts.isEmpty() || partner == null || partner.size() == 0) {
            return;
        }
        List<RawSample> fill = new ArrayList<>();
        for (RawSample sample : partner.samplesOf(gapStarts.keySet())) {
            Instant until = ownFirst.get(sample.nodeId());
            if (sample.sourceTime() != null && (until == null || sample.sourceTime().isBefore(until))) {
                fill.add(sample);
            }
        }
        if (!fill.isEmpty()) {
            meters.filledFromPartner.increment(forwarder.forward(role.partner(), fill));
            gapStarts.replaceAll((node, start) -> gate.lastForwarded(node).orElse(start));
        }
    }

    /** The buffer refused: hold the live stream and read back from history in a while. */
    void retryLater(ServerRole role) {
        nextAll = true;
        later(role, Duration.ofMillis(RETRY_AFTER_REFUSAL_MS));
    }

    /** The next round after {@code delay}, the live stream held till then. */
    private void later(ServerRole role, Duration delay) {
        if (delay.isZero()) {
            begin(role);
            return;
        }
        if (backfilling) {
            again = true; // the running or waiting one ends with another round
            return;
        }
        backfilling = true;
        waitingFor = role;
        pin(role);
        try {
            loop.schedule(() -> {
                if (waitingFor != role) {
                    return; // a switchover started another read-back meanwhile
                }
                waitingFor = null;
                backfilling = false;
                if (role != liveFrom) {
                    recent.get(role).unpin(); // no longer forwarded: its stream stays a standby's recent samples
                }
                if (liveFrom != null) {
                    begin(liveFrom);
                }
            }, delay.toMillis());
        } catch (RejectedExecutionException e) {
            log.debug("Source pair {}: closing, no read-back", plan.name());
        }
    }

    /** Turns what the backfill could not read, minus what the recent stream filled, into a hole. */
    private void record(ServerRole role, Backfiller.Result result, Map<String, Instant> marks, Map<String, Instant> gapStarts,
                        Map<String, Instant> filledFrom) {
        nodesWithoutHistory.put(role, result.failedNodes().size());
        if (marks.isEmpty()) {
            // nothing was forwarded before: no gap, only the start of the stream (history gave cadences)
            if (!startLogged) {
                log.info("Source pair {}: the stream starts live from the {} server{}", plan.name(), role.wireName(),
                        result.problem().map(problem -> " (" + problem + ")").orElse(""));
                startLogged = true;
            }
            return;
        }
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
            int cutNodes = (int) marks.values().stream().filter(mark -> mark.isBefore(result.from())).count();
            completeness.record(new Hole(oldestMark, result.from(), cutNodes, role.wireName(),
                    "gap longer than max-window " + plan.backfill().maxWindow()));
        }
        Duration unfilled = longest.plus(cut);
        BackfillReport report = new BackfillReport(role.wireName(), result.from(), result.to(), result.readings(),
                result.truncated(), unfilled, result.problem(), result.failedNodes().size());
        meters.backfillRounds.increment();
        if (lastReport == null || !report.addsNothingTo(lastReport)) {
            // a follow-up that found nothing new (asked by a server's notice of what the last round
            // already read) would hide from health the round that mattered
            lastReport = report;
        }
        if (holeNodes > 0) {
            completeness.record(new Hole(holeFrom, holeTo, holeNodes, role.wireName(), result.problem().orElse("no value")));
        }
        if (!unfilled.isZero()) {
            meters.unfilledSeconds.increment(unfilled.toMillis() / 1000.0);
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
            log.info("Source pair {}: backfilled {} reading(s) for {} .. {} from the {} server{}", plan.name(),
                    result.readings(), result.from(), result.to(), role.wireName(), waitedNote());
        }
    }

    /** What the read-back waited for the targets, when it did. */
    private String waitedNote() {
        long waited = waitedNanos.get();
        return waited < MIN_WAIT_WORTH_SAYING.toNanos() ? ""
                : ", waiting " + Duration.ofNanos(waited).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                        + " in all for targets that were behind";
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
    void closePendingGaps(List<RawSample> batch) {
        if (pendingGaps.isEmpty()) {
            return;
        }
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
            meters.unfilledSeconds.increment(hole.length().toMillis() / 1000.0);
            log.warn("Source pair {}: {} .. {} of {} node(s) could not be filled: {}", plan.name(), from, to, nodes,
                    any.reason());
        }
    }
}
