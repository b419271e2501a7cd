package io.busbar.routes.plan;

import io.busbar.connectors.target.TargetSettings;
import java.util.List;
import java.util.Map;

/**
 * Everything the routes need, compiled from a validated configuration. Routes never see raw config.
 *
 * @param pairs   the source pairs
 * @param targets the targets; every name a pair refers to is among them
 * @param retries     retry settings by target name; targets not named retry with the default
 * @param parallelism deliveries in flight at once by target name; targets not named have one
 */
public record BusbarPlan(List<SourcePairPlan> pairs, List<TargetSettings> targets, Map<String, RetryPolicy> retries,
                         Map<String, Integer> parallelism) {

    public BusbarPlan {
        pairs = List.copyOf(pairs);
        targets = List.copyOf(targets);
        retries = Map.copyOf(retries);
        parallelism = Map.copyOf(parallelism);
    }

    public BusbarPlan(List<SourcePairPlan> pairs, List<TargetSettings> targets, Map<String, RetryPolicy> retries) {
        this(pairs, targets, retries, Map.of());
    }

    /** A plan whose targets all retry with {@link RetryPolicy#DEFAULT}. */
    public BusbarPlan(List<SourcePairPlan> pairs, List<TargetSettings> targets) {
        this(pairs, targets, Map.of());
    }

    public RetryPolicy retry(String target) {
        return retries.getOrDefault(target, RetryPolicy.DEFAULT);
    }

    public int parallelism(String target) {
        return parallelism.getOrDefault(target, 1);
    }

    /** The pairs that feed a target. */
    public List<String> pairsFeeding(String target) {
        return pairs.stream().filter(pair -> pair.targets().contains(target)).map(SourcePairPlan::name).toList();
    }
}
