package io.busbar.routes.source;

import io.busbar.routes.DeliveryBacklog;
import io.busbar.routes.plan.SourcePairPlan;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The running source pairs by name, and those waiting to start, for health, metrics and the
 * operator's manual control.
 */
public final class SourcePairs {

    private final Map<String, SourcePairRuntime> running = new ConcurrentSkipListMap<>();
    private final Map<String, SourcePairConsumer> consumers = new ConcurrentSkipListMap<>();
    /** The newest plan per pair, for a pair that starts later (distributed mode: on becoming leader). */
    private final Map<String, SourcePairPlan> plans = new ConcurrentSkipListMap<>();
    /** Pairs that wait for a server to resolve their mapping's browse templates. */
    private final Map<String, WaitingPair> waiting = new ConcurrentSkipListMap<>();
    private final DeliveryBacklog backlog;

    /** Pairs whose read-backs never wait for the targets. */
    public SourcePairs() {
        this(DeliveryBacklog.NONE);
    }

    /** @param backlog whether the targets are behind the buffer: the pairs' read-backs wait while they are */
    public SourcePairs(DeliveryBacklog backlog) {
        this.backlog = backlog;
    }

    DeliveryBacklog deliveryBacklog() {
        return backlog;
    }

    void register(SourcePairRuntime runtime) {
        running.put(runtime.name(), runtime);
    }

    void unregister(SourcePairRuntime runtime) {
        running.remove(runtime.name(), runtime);
    }

    void registerConsumer(String pair, SourcePairConsumer consumer) {
        consumers.put(pair, consumer);
    }

    /**
     * Runs a pair with a new plan (e.g. a changed mapping file): the running pair stops, saving its
     * watermarks, and the new one starts from them, backfilling the moment in between.
     *
     * <p>A pair that does not run here now (a standby in distributed mode) keeps the new plan for
     * when it starts.
     *
     * @return true: the plan applies now or at the pair's next start
     */
    public boolean reload(SourcePairPlan plan) {
        plans.put(plan.name(), plan);
        SourcePairConsumer consumer = consumers.get(plan.name());
        if (consumer != null) {
            consumer.reload(plan);
        }
        return true;
    }

    /** The plan a pair starts with: the newest one reloaded, else the one it was built with. */
    SourcePairPlan planFor(SourcePairPlan built) {
        return plans.getOrDefault(built.name(), built);
    }

    void waiting(WaitingPair pair) {
        waiting.put(pair.name(), pair);
    }

    void stopWaiting(String pair) {
        waiting.remove(pair);
    }

    /** Why a pair does not run yet, if it waits to start. */
    public Optional<WaitingPair> waiting(String pair) {
        return Optional.ofNullable(waiting.get(pair));
    }

    /** The pairs that wait to start, by name. */
    public Collection<WaitingPair> waiting() {
        return waiting.values();
    }

    public Optional<SourcePairRuntime> get(String pair) {
        return Optional.ofNullable(running.get(pair));
    }

    public Collection<SourcePairRuntime> all() {
        return running.values();
    }
}
