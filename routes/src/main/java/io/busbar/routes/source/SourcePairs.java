package io.busbar.routes.source;

import io.busbar.routes.plan.SourcePairPlan;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The running source pairs by name, for health, metrics and the operator's manual control. */
public final class SourcePairs {

    private final Map<String, SourcePairRuntime> running = new ConcurrentSkipListMap<>();
    private final Map<String, SourcePairConsumer> consumers = new ConcurrentSkipListMap<>();

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
     * @return false when the pair is not running
     */
    public boolean reload(SourcePairPlan plan) {
        SourcePairConsumer consumer = consumers.get(plan.name());
        if (consumer == null) {
            return false;
        }
        consumer.reload(plan);
        return true;
    }

    public Optional<SourcePairRuntime> get(String pair) {
        return Optional.ofNullable(running.get(pair));
    }

    public Collection<SourcePairRuntime> all() {
        return running.values();
    }
}
