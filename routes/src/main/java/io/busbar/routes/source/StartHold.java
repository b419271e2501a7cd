package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * A pair stream's first values, node by node, while the node's cadence is not known: its values wait
 * here until it is — learnt from its own first few values, or from the start's sample of the
 * server's history — and are then judged in order, so that a slot the stream skipped in its first
 * seconds is read back instead of being passed by the gate for good. A node with a known cadence
 * goes on at once. Holding the whole stream until the sample was read instead overflowed the window
 * within a second at 10,000 tags × 10 Hz, and the read-back of what it dropped was 1.7 million
 * readings (bench, 2026-12-05); node by node, the hold is about {@link NodeCadence#STEADY_STEPS} + 1
 * values of each node, whatever its rate.
 *
 * <h2>After the sample</h2>
 *
 * A node the sample gave no cadence (its server's history began a moment ago, or it has none) is
 * not let go unjudged when the sample has been read: a value forwarded past a slot the stream
 * skipped would have been passed by the gate for good, and the slot lost without a trace (a demo
 * failover test, its servers started two seconds before Busbar, lost a second this way). Its first
 * value goes on (nothing before it to judge), the next wait until its own values give its cadence
 * and are then judged; a node whose values show none within {@link #MAX_VALUES_WITHOUT_CADENCE}
 * values or the hold's longest wait reports on change and goes on unjudged from then on.
 *
 * <p>The hold stays after the sample, for nodes whose first value is yet to come: a meter that comes
 * online an hour after the start, a node the server creates later. Such a node's stream begins as
 * the start's did, and a slot it skipped in its first seconds was lost for good while the hold ended
 * once the nodes it had seen were settled. Once nothing is held, a batch costs a look-up per value
 * ({@link #goesOnWhole}). The hold goes over to the new live server at a switchover and ends when it
 * overflows or is ended.
 *
 * <p>Bounded by the server's share of the ingest budget: beyond it the hold gives up, drops what
 * it held ({@link #overflowed()}) and the owner reads those nodes from the stream's start in
 * history. Owned by the pair's loop.
 */
final class StartHold {

    /** Values held after the sample without a steady step among them: the node reports on change. */
    static final int MAX_VALUES_WITHOUT_CADENCE = Backfiller.LEAD_VALUES;

    private final NodeCadence cadence;
    private final IntSupplier maxSamples;
    private final Predicate<String> everForwarded;
    private final Duration maxWait;
    private final Map<String, List<RawSample>> held = new LinkedHashMap<>();
    /** After the sample: the nodes seen whose cadence is neither known nor given up on, with when first seen. */
    private final Map<String, Instant> unsettled = new HashMap<>();
    /** After the sample: the nodes given up on, whose values go on unjudged. */
    private final Set<String> irregular = new HashSet<>();
    /** The server whose stream is held; null while none is. */
    private ServerRole role;
    /** Whether the start's sample of history has been read: from then on a node's first value goes on. */
    private boolean sampleRead;
    private int samples;
    private boolean overflowed;

    /**
     * @param maxSamples    the most samples held: the server's share of the instance's {@link IngestBudget}
     * @param everForwarded whether a node has a value forwarded (its watermark): its next value can be judged
     * @param maxWait       after the sample, how long a node without a cadence is held at most
     */
    StartHold(NodeCadence cadence, IntSupplier maxSamples, Predicate<String> everForwarded, Duration maxWait) {
        this.cadence = cadence;
        this.maxSamples = maxSamples;
        this.everForwarded = everForwarded;
        this.maxWait = maxWait;
    }

    /** Holds the server's stream, node by node, from now on; what an earlier start held is dropped. */
    void begin(ServerRole server) {
        clear();
        role = server;
    }

    boolean holding(ServerRole server) {
        return role != null && role == server;
    }

    boolean holding() {
        return role != null;
    }

    /** Whether the hold goes on after its sample, and so across a read-back and a switchover. */
    boolean afterSample() {
        return role != null && sampleRead;
    }

    /**
     * A live batch of the held server.
     *
     * @return what goes on now, each node's values in order: those of nodes whose cadence is known,
     *         with what was held of a node that got its cadence from this batch
     */
    List<RawSample> admit(List<RawSample> batch, Instant now) {
        overflowed = false;
        if (goesOnWhole(batch)) {
            return batch;
        }
        List<RawSample> goesOn = new ArrayList<>();
        List<RawSample> newlyHeld = new ArrayList<>();
        List<RawSample> observed = new ArrayList<>();
        Set<String> firstHere = new HashSet<>();
        for (RawSample sample : batch) {
            String node = sample.nodeId();
            if (goesOnAsIs(node)) {
                goesOn.add(sample);
            } else if (sampleRead && !held.containsKey(node) && !everForwarded.test(node) && firstHere.add(node)) {
                goesOn.add(sample); // its first value: nothing before it to judge
                observed.add(sample);
                unsettled.putIfAbsent(node, now);
            } else {
                held.computeIfAbsent(node, n -> new ArrayList<>()).add(sample);
                newlyHeld.add(sample);
                observed.add(sample);
                if (sampleRead) {
                    unsettled.putIfAbsent(node, now);
                }
            }
        }
        samples += newlyHeld.size();
        if (samples > maxSamples.getAsInt()) {
            overflowed = true;
            clear();
            return goesOn;
        }
        cadence.observe(observed);
        Set<String> touched = new HashSet<>();
        newlyHeld.forEach(sample -> touched.add(sample.nodeId()));
        releaseKnown(touched, goesOn);
        if (sampleRead) {
            giveUpOnMany(touched, goesOn);
        }
        return goesOn;
    }

    /** Whether the last {@link #admit} went beyond the bound: the hold has ended, its samples dropped. */
    boolean overflowed() {
        return overflowed;
    }

    /**
     * History sampled for cadences while the stream is held.
     *
     * @return what goes on now: the held values of the nodes that got their cadence from it
     */
    List<RawSample> learnt(List<RawSample> history) {
        Set<String> learnt = cadence.learn(history);
        List<RawSample> now = new ArrayList<>();
        if (role != null) {
            releaseKnown(learnt, now);
        }
        return now;
    }

    /**
     * The start's sample of history has been read: each node still held has no cadence; its first
     * value goes on unless a value of it was forwarded already, the rest wait for its cadence.
     *
     * @return what goes on now
     */
    List<RawSample> sampled(Instant now) {
        sampleRead = true;
        List<RawSample> goesOn = new ArrayList<>();
        for (var it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<RawSample>> node = it.next();
            unsettled.putIfAbsent(node.getKey(), now);
            if (!everForwarded.test(node.getKey())) {
                goesOn.add(node.getValue().remove(0));
                samples--;
            }
            if (node.getValue().isEmpty()) {
                it.remove();
            }
        }
        giveUpOnMany(new ArrayList<>(held.keySet()), goesOn);
        return goesOn;
    }

    /**
     * After the sample: the nodes held longer than the longest wait go on unjudged, and the nodes
     * whose cadence became known elsewhere (history read back) are settled.
     *
     * @return what goes on now, each node's values in order
     */
    List<RawSample> overdue(Instant now) {
        List<RawSample> goesOn = new ArrayList<>();
        if (!afterSample()) {
            return goesOn;
        }
        Instant since = now.minus(maxWait);
        for (var it = unsettled.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> node = it.next();
            boolean known = cadence.known(node.getKey());
            if (known || !node.getValue().isAfter(since)) {
                it.remove();
                if (!known) {
                    irregular.add(node.getKey());
                }
                release(node.getKey(), goesOn);
            }
        }
        return goesOn;
    }

    /**
     * A switchover: the hold goes over to the new live server once the sample has been read (its
     * nodes still need their cadence); before, it ends as {@link #end()} does.
     *
     * @return what it held of the old server, each node's values in order: no longer to be
     *         forwarded as its live stream, but its recent samples, which may fill what the new
     *         server's history lacks
     */
    List<RawSample> handOver(ServerRole server) {
        if (server == null || !afterSample()) {
            return end();
        }
        List<RawSample> old = new ArrayList<>(samples);
        held.values().forEach(old::addAll);
        held.clear();
        samples = 0;
        role = server;
        return old;
    }

    /** Ends the hold: everything held, each node's values in order, cadence known or not. */
    List<RawSample> end() {
        List<RawSample> all = new ArrayList<>(samples);
        held.values().forEach(all::addAll);
        clear();
        return all;
    }

    int size() {
        return samples;
    }

    /** Whether every node of the batch has its cadence and nothing held: the batch goes on as it came. */
    private boolean goesOnWhole(List<RawSample> batch) {
        boolean[] whole = {true};
        SampleColumns.scan(batch, (index, nodeId, at, statusCode) ->
                whole[0] = whole[0] && goesOnAsIs(nodeId));
        return whole[0];
    }

    /** Nothing of the node is held, and its value can be judged (cadence known) or never will be (irregular). */
    private boolean goesOnAsIs(String node) {
        return !held.containsKey(node) && (cadence.known(node) || irregular.contains(node));
    }

    private void releaseKnown(Collection<String> nodes, List<RawSample> goesOn) {
        for (String node : nodes) {
            if (cadence.known(node)) {
                release(node, goesOn);
                unsettled.remove(node);
            }
        }
    }

    /** After the sample: the nodes that held too many values without a steady step go on unjudged. */
    private void giveUpOnMany(Collection<String> nodes, List<RawSample> goesOn) {
        for (String node : nodes) {
            List<RawSample> values = held.get(node);
            if (values != null && values.size() >= MAX_VALUES_WITHOUT_CADENCE) {
                irregular.add(node);
                unsettled.remove(node);
                release(node, goesOn);
            }
        }
    }

    private void release(String node, List<RawSample> goesOn) {
        List<RawSample> values = held.remove(node);
        if (values != null) {
            goesOn.addAll(values);
            samples -= values.size();
        }
    }

    private void clear() {
        held.clear();
        unsettled.clear();
        irregular.clear();
        samples = 0;
        role = null;
        sampleRead = false;
    }
}
