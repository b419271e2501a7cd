package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import io.busbar.mappings.model.ServerRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

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
 * <p>Bounded by the server's share of the ingest budget: beyond it the hold gives up, drops what
 * it held ({@link #overflowed()}) and the owner reads those nodes from the stream's start in
 * history. Owned by the pair's loop.
 */
final class StartHold {

    private final NodeCadence cadence;
    private final IntSupplier maxSamples;
    private final Map<String, List<RawSample>> held = new LinkedHashMap<>();
    /** The server whose stream is held; null while none is. */
    private ServerRole role;
    private int samples;
    private boolean overflowed;

    /** @param maxSamples the most samples held: the server's share of the instance's {@link IngestBudget} */
    StartHold(NodeCadence cadence, IntSupplier maxSamples) {
        this.cadence = cadence;
        this.maxSamples = maxSamples;
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

    /**
     * A live batch of the held server.
     *
     * @return what goes on now, each node's values in order: those of nodes whose cadence is known,
     *         with what was held of a node that got its cadence from this batch
     */
    List<RawSample> admit(List<RawSample> batch) {
        overflowed = false;
        if (goesOnWhole(batch)) {
            return batch;
        }
        List<RawSample> now = new ArrayList<>();
        List<RawSample> newlyHeld = new ArrayList<>();
        for (RawSample sample : batch) {
            String node = sample.nodeId();
            if (!held.containsKey(node) && cadence.known(node)) {
                now.add(sample);
            } else {
                held.computeIfAbsent(node, n -> new ArrayList<>()).add(sample);
                newlyHeld.add(sample);
            }
        }
        samples += newlyHeld.size();
        if (samples > maxSamples.getAsInt()) {
            overflowed = true;
            clear();
            return now;
        }
        cadence.observe(newlyHeld);
        Set<String> touched = new HashSet<>();
        newlyHeld.forEach(sample -> touched.add(sample.nodeId()));
        releaseKnown(touched, now);
        return now;
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
                whole[0] = whole[0] && !held.containsKey(nodeId) && cadence.known(nodeId));
        return whole[0];
    }

    private void releaseKnown(Collection<String> nodes, List<RawSample> now) {
        for (String node : nodes) {
            if (cadence.known(node)) {
                List<RawSample> values = held.remove(node);
                if (values != null) {
                    now.addAll(values);
                    samples -= values.size();
                }
            }
        }
    }

    private void clear() {
        held.clear();
        samples = 0;
        role = null;
    }
}
