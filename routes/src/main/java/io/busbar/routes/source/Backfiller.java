package io.busbar.routes.source;

import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.BackfillPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Reads a gap from a server's history (HistoryRead raw) and hands it to the forwarder: each node
 * from its own watermark minus the overlap up to the end, capped at the policy's window. The read
 * goes in time slices, as long as the history's density allows, and node groups so that a long gap
 * over many nodes at any rate never sits in memory at
 * once; slices ascend in time, so every node's values stay in order. A slice reads only the nodes
 * whose gap has begun by its end, grouped with nodes whose gaps begin near theirs: a register that
 * reports on change and has not changed for an hour no longer makes every node read that hour
 * (at 10,000 tags × 1 Hz, 36 million values for a failover that needed seconds).
 *
 * <p>Per node: a node the server keeps no history for is left out of the later slices and reported,
 * and every other node is backfilled whatever the others answered. Blocking; runs on the pair's
 * backfill thread, never on its event loop.
 */
final class Backfiller {

    /** The first slice of a pair's first run; later ones follow the history's density ({@link #nextSlice}). */
    static final Duration FIRST_SLICE = Duration.ofSeconds(10);
    static final Duration MAX_SLICE = Duration.ofMinutes(5);
    static final Duration MIN_SLICE = Duration.ofMillis(100);
    /**
     * The values one group's read of a slice should bring, about: the four reads in flight then hold
     * ~80,000 samples (~10 MB). A fixed 5-minute slice read 200 nodes × 3,000 values at 10 Hz, 600,000
     * samples per group and 2.4 million in flight, more than a 256 MB heap holds.
     */
    static final int VALUES_PER_GROUP_READ = 20_000;
    static final int NODES_PER_READ = 200;
    /** History reads of one slice outstanding at once. */
    static final int READS_IN_FLIGHT = 4;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** How often a read-back that waits for its {@link ReadBackPace} asks again. */
    static final Duration PACE_CHECK = Duration.ofMillis(50);

    /**
     * What one run did.
     *
     * @param from        where the read started (after capping)
     * @param to          where it ended
     * @param readings    readings forwarded from history
     * @param truncated   the gap was longer than max-window; its oldest part is not read
     * @param failedNodes nodes whose history could not be read, with the OPC UA status or the failure
     * @param problem     why the run stopped early, or why nodes failed; empty when all went well
     */
    record Result(Instant from, Instant to, long readings, boolean truncated, Map<String, String> failedNodes,
                  Optional<String> problem) {
    }

    /**
     * Values of a never-forwarded node's history sampled for its cadence: a few steps more than
     * {@link NodeCadence#STEADY_STEPS}, so that one odd step still leaves a steady one.
     */
    static final int LEAD_VALUES = NodeCadence.STEADY_STEPS + 3;

    /**
     * Nodes never forwarded (a pair's first activation, a node new to the mapping): what lies before
     * {@code until} is not theirs to forward, only sampled for their cadence — each node's first
     * {@link #LEAD_VALUES} values of the {@code span} before it, handed to {@code learn}; from
     * {@code until} on they are read and forwarded like any gap. Reading the whole span at 10,000
     * tags × 10 Hz was 500,000 values and 13 s at the start, the live stream held meanwhile and
     * overflowing into a read-back of 2 million (bench, 2026-12-05).
     */
    record Lead(Set<String> nodes, Set<String> sampled, Instant until, Duration span,
                Consumer<List<RawSample>> learn) {

        /** Every node of the lead sampled. */
        Lead(Set<String> nodes, Instant until, Duration span, Consumer<List<RawSample>> learn) {
            this(nodes, nodes, until, span, learn);
        }

        static Lead none() {
            return new Lead(Set.of(), Instant.EPOCH, Duration.ZERO, samples -> { });
        }

        /** The same lead, sampling only {@code nodes} of it (the others' cadences are known). */
        Lead sampling(Set<String> nodes) {
            return new Lead(this.nodes, nodes, until, span, learn);
        }
    }

    private final List<String> nodeIds;
    private final BackfillPolicy policy;
    private final int valuesPerGroupRead;
    private final ReadBackPace pace;
    /**
     * Where the next run's slices start: the last run's last length (the pair's history density
     * changes little between runs), so that a 1 Hz pair of 50,000 tags does not read each gap in
     * three times the round trips of a fixed slice. Only the backfill thread runs runs.
     */
    private Duration firstSlice = FIRST_SLICE;
    /**
     * Per server, the nodes whose last history read, while it has been the live server, answered with
     * history. A read-back of nodes that all did waits for its pace from its first read on: at 10,000
     * tags × 10 Hz the first slice alone was up to a million values, and each round's, read at the
     * history's speed, grew the buffer's backlog by 3.8 % of the rate (bench, 2026-12-07). Each set is
     * changed only by the backfill thread; {@link #forget} drops one from the pair's loop.
     */
    private final Map<ServerRole, Set<String>> historized = new ConcurrentHashMap<>();

    Backfiller(List<String> nodeIds, BackfillPolicy policy) {
        this(nodeIds, policy, VALUES_PER_GROUP_READ, ReadBackPace.NONE);
    }

    Backfiller(List<String> nodeIds, BackfillPolicy policy, ReadBackPace pace) {
        this(nodeIds, policy, VALUES_PER_GROUP_READ, pace);
    }

    Backfiller(List<String> nodeIds, BackfillPolicy policy, int valuesPerGroupRead) {
        this(nodeIds, policy, valuesPerGroupRead, ReadBackPace.NONE);
    }

    Backfiller(List<String> nodeIds, BackfillPolicy policy, int valuesPerGroupRead, ReadBackPace pace) {
        this.nodeIds = nodeIds;
        this.policy = policy;
        this.valuesPerGroupRead = valuesPerGroupRead;
        this.pace = pace;
    }

    /**
     * Forgets which of the server's nodes answered with history, when it becomes the live server: as
     * a standby it may have deleted and re-created nodes, and their history with them, so its next
     * read-back learns afresh in its first slice before it waits. A run in progress keeps what it knew.
     */
    void forget(ServerRole role) {
        historized.remove(role);
    }

    /**
     * @param watermarks  per node, the newest source time already forwarded; nodes without one have
     *                    never been forwarded, so there is no gap of theirs to close
     * @param to          the end of the gap (the switchover or the start of the run)
     * @param overlap     how far before each watermark to start: the policy's after a change of
     *                    server (clock skew between servers), none when the server's own values set
     *                    the watermarks
     * @param forward     forwards a slice of history, returns how many readings it made durable
     * @param stillActive false once the server is no longer the active one: the run stops
     * @return empty when nothing was ever forwarded
     */
    Optional<Result> run(PairServer server, Map<String, Instant> watermarks, Instant to, Duration overlap,
                         ToIntFunction<List<RawSample>> forward, BooleanSupplier stillActive) {
        return run(server, watermarks, to, overlap, Lead.none(), forward, stillActive);
    }

    /**
     * @param lead the nodes of {@code watermarks} never forwarded: sampled before their watermark,
     *             read without overlap from it
     */
    Optional<Result> run(PairServer server, Map<String, Instant> watermarks, Instant to, Duration overlap, Lead lead,
                         ToIntFunction<List<RawSample>> forward, BooleanSupplier stillActive) {
        if (watermarks.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Instant> wantedStarts = new LinkedHashMap<>();
        nodeIds.stream().filter(watermarks::containsKey)
                .forEach(node -> wantedStarts.put(node, lead.nodes().contains(node) ? watermarks.get(node)
                        : watermarks.get(node).minus(overlap)));
        Instant wanted = wantedStarts.values().stream().min(Instant::compareTo).orElseThrow();
        Instant earliest = to.minus(policy.maxWindow());
        Instant from = wanted.isBefore(earliest) ? earliest : wanted;
        boolean truncated = from.isAfter(wanted);
        String name = server.role().wireName();
        Map<String, Instant> starts = new LinkedHashMap<>();
        wantedStarts.forEach((node, start) -> starts.put(node, start.isBefore(earliest) ? earliest : start));
        List<String> pending = new ArrayList<>(starts.keySet());
        pending.sort(Comparator.comparing(starts::get)); // by start, so groups start alike
        Map<String, String> failed = new LinkedHashMap<>();
        Optional<String> leadFailure = sample(server, lead, failed, stillActive);
        if (leadFailure.isPresent()) {
            pending.forEach(node -> failed.putIfAbsent(node, leadFailure.get()));
            return Optional.of(new Result(from, to, 0, truncated, failed, leadFailure));
        }
        pending.removeAll(failed.keySet());
        long readings = 0;
        int slicesRead = 0;
        Set<String> withHistory = historized.computeIfAbsent(server.role(), role -> new HashSet<>());
        boolean historyKnown = withHistory.containsAll(pending);
        Duration slice = firstSlice;
        for (Instant start = from, end; start.isBefore(to) && !pending.isEmpty(); start = end) {
            end = start.plus(slice).isBefore(to) ? start.plus(slice) : to;
            int largestRead = 0;
            List<List<String>> groups = groups(begunBy(pending, starts, end), starts);
            // up to READS_IN_FLIGHT groups are read at once and forwarded in order: the groups of a
            // slice hold different nodes, so each node's values still go in time order, and a
            // failover at 10,000 tags waits for one round trip per 4 groups instead of per group
            Deque<CompletableFuture<HistoryResult>> inFlight = new ArrayDeque<>();
            int next = 0;
            while (next < groups.size() || !inFlight.isEmpty()) {
                if (!stillActive.getAsBoolean()) {
                    inFlight.forEach(read -> read.cancel(false));
                    pending.forEach(node -> failed.putIfAbsent(node, "not read"));
                    return Optional.of(new Result(from, to, readings, truncated, failed,
                            Optional.of("the " + name + " server stopped being active")));
                }
                // waits only while every node read answered with history (in its first slice, or in the
                // server's last read of it): a node without any lives only in the live stream held
                // meanwhile, which may overflow while the read-back waits
                boolean mayWait = failed.isEmpty() && (slicesRead > 0 || historyKnown);
                if (inFlight.isEmpty() && mayWait && !pace.mayRead()) {
                    if (!awaitTurn(stillActive)) {
                        pending.forEach(node -> failed.putIfAbsent(node, "not read"));
                        return Optional.of(new Result(from, to, readings, truncated, failed,
                                Optional.of("the read-back was interrupted")));
                    }
                    continue; // active still, or not: asked at the top
                }
                // what is in flight is read and forwarded whatever the pace: only new reads wait
                while (next < groups.size() && inFlight.size() < READS_IN_FLIGHT
                        && (inFlight.isEmpty() || !mayWait || pace.mayRead())) {
                    List<String> group = groups.get(next++);
                    Instant groupStart = starts.get(group.get(0)); // the group's earliest
                    inFlight.add(server.historyReadRaw(group, groupStart.isAfter(start) ? groupStart : start, end));
                }
                HistoryResult history;
                try {
                    history = inFlight.removeFirst().get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    inFlight.forEach(read -> read.cancel(false));
                    String why = readFailure(name, e);
                    pending.forEach(node -> failed.putIfAbsent(node, why));
                    return Optional.of(new Result(from, to, readings, truncated, failed, Optional.of(why)));
                }
                history.failedNodes().forEach((node, status) ->
                        failed.putIfAbsent(node, io.busbar.connectors.opcua.StatusCodeNames.describe(status)));
                withHistory.removeAll(history.failedNodes().keySet());
                largestRead = Math.max(largestRead, history.samples().size());
                readings += forward.applyAsInt(history.samples());
            }
            pending.removeAll(failed.keySet());
            withHistory.addAll(begunBy(pending, starts, end)); // the slice's nodes, all answered with history
            slicesRead++;
            slice = nextSlice(slice, largestRead);
            firstSlice = slice;
        }
        Optional<String> problem = failed.isEmpty()
                ? truncated ? Optional.of("gap longer than max-window " + policy.maxWindow()) : Optional.empty()
                : Optional.of(describe(name, failed));
        return Optional.of(new Result(from, to, readings, truncated, failed, problem));
    }

    /**
     * Samples the lead nodes' history before their watermark, {@link #READS_IN_FLIGHT} groups of
     * {@link #NODES_PER_READ} at once; nodes without history go to {@code failed}.
     *
     * @return why the whole sampling failed, or empty
     */
    private Optional<String> sample(PairServer server, Lead lead, Map<String, String> failed,
                                    BooleanSupplier stillActive) {
        if (lead.sampled().isEmpty() || lead.span().isZero()) {
            return Optional.empty();
        }
        List<String> nodes = nodeIds.stream().filter(lead.sampled()::contains).distinct().toList();
        Instant from = lead.until().minus(lead.span());
        Deque<CompletableFuture<HistoryResult>> inFlight = new ArrayDeque<>();
        int next = 0;
        while (next < nodes.size() || !inFlight.isEmpty()) {
            if (!stillActive.getAsBoolean()) {
                inFlight.forEach(read -> read.cancel(false));
                return Optional.of("the " + server.role().wireName() + " server stopped being active");
            }
            while (next < nodes.size() && inFlight.size() < READS_IN_FLIGHT) {
                List<String> group = nodes.subList(next, Math.min(nodes.size(), next + NODES_PER_READ));
                next += group.size();
                inFlight.add(server.historyReadFirst(group, from, lead.until(), LEAD_VALUES));
            }
            try {
                HistoryResult history = inFlight.removeFirst().get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                history.failedNodes().forEach((node, status) ->
                        failed.putIfAbsent(node, io.busbar.connectors.opcua.StatusCodeNames.describe(status)));
                lead.learn().accept(history.samples());
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                inFlight.forEach(read -> read.cancel(false));
                return Optional.of(readFailure(server.role().wireName(), e));
            }
        }
        return Optional.empty();
    }

    /**
     * Waits until the pace lets the read-back read on, or the server is no longer the active one.
     *
     * @return false when the thread was interrupted (the pair closes)
     */
    private boolean awaitTurn(BooleanSupplier stillActive) {
        long began = System.nanoTime();
        try {
            while (!pace.mayRead() && stillActive.getAsBoolean()) {
                LockSupport.parkNanos(PACE_CHECK.toNanos());
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            return true;
        } finally {
            pace.waited(Duration.ofNanos(System.nanoTime() - began));
        }
    }

    private static String readFailure(String server, Exception e) {
        return e instanceof TimeoutException ? "history read timed out after " + READ_TIMEOUT
                : "history read from the " + server + " server failed: " + (e instanceof ExecutionException ? e.getCause() : e);
    }

    /**
     * The next slice's length: so long that the largest group read brings about
     * {@link #valuesPerGroupRead}, at most twice the last (a sparse start says little of what
     * follows) and within {@link #MIN_SLICE}..{@link #MAX_SLICE}.
     */
    private Duration nextSlice(Duration slice, int largestRead) {
        double factor = largestRead == 0 ? 2 : Math.min(2, (double) valuesPerGroupRead / largestRead);
        long nanos = (long) (slice.toNanos() * factor);
        return Duration.ofNanos(Math.max(MIN_SLICE.toNanos(), Math.min(MAX_SLICE.toNanos(), nanos)));
    }

    /** The pending nodes (in order of their starts) whose read starts before {@code end}. */
    private static List<String> begunBy(List<String> pending, Map<String, Instant> starts, Instant end) {
        int count = 0;
        while (count < pending.size() && starts.get(pending.get(count)).isBefore(end)) {
            count++;
        }
        return pending.subList(0, count);
    }

    /**
     * Up to {@link #NODES_PER_READ} nodes a group, each group's starts within one overlap of its
     * first: a node reads at most that much before its own start.
     */
    private List<List<String>> groups(List<String> due, Map<String, Instant> starts) {
        List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        Instant groupStart = null;
        for (String node : due) {
            Instant start = starts.get(node);
            if (group.size() == NODES_PER_READ || (groupStart != null && start.isAfter(groupStart.plus(policy.overlap())))) {
                groups.add(List.copyOf(group));
                group.clear();
                groupStart = null;
            }
            if (groupStart == null) {
                groupStart = start;
            }
            group.add(node);
        }
        if (!group.isEmpty()) {
            groups.add(List.copyOf(group));
        }
        return groups;
    }

    /** One short line however many nodes failed: the count, the reasons, the first few ids. */
    static String describe(String server, Map<String, String> failed) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        failed.forEach((node, reason) -> byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(node));
        StringBuilder text = new StringBuilder("the " + server + " server has no history for " + failed.size()
                + " node(s)");
        byReason.forEach((reason, nodes) -> {
            text.append("; ").append(reason).append(": ")
                    .append(String.join(", ", nodes.subList(0, Math.min(3, nodes.size()))));
            if (nodes.size() > 3) {
                text.append(" and ").append(nodes.size() - 3).append(" more");
            }
        });
        return text.toString();
    }
}
