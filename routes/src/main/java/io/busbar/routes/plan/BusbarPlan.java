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
 * @param uplinks     the IoT uplink sources (MQTT), fed into the same buffer as the pairs
 * @param sitePairs   at a central Busbar: the pairs of remote sites (whose readings arrive over
 *                    the site link, not from a server of this instance) and the targets each feeds
 */
public record BusbarPlan(List<SourcePairPlan> pairs, List<TargetSettings> targets, Map<String, RetryPolicy> retries,
                         Map<String, Integer> parallelism, Map<String, List<String>> sitePairs,
                         List<io.busbar.routes.uplink.UplinkSourcePlan> uplinks) {

    public BusbarPlan {
        uplinks = List.copyOf(uplinks);
        pairs = List.copyOf(pairs);
        targets = List.copyOf(targets);
        retries = Map.copyOf(retries);
        parallelism = Map.copyOf(parallelism);
        sitePairs = Map.copyOf(sitePairs);
    }

    /** A plan without IoT uplink sources. */
    public BusbarPlan(List<SourcePairPlan> pairs, List<TargetSettings> targets, Map<String, RetryPolicy> retries,
                      Map<String, Integer> parallelism, Map<String, List<String>> sitePairs) {
        this(pairs, targets, retries, parallelism, sitePairs, List.of());
    }

    public BusbarPlan(List<SourcePairPlan> pairs, List<TargetSettings> targets, Map<String, RetryPolicy> retries,
                      Map<String, Integer> parallelism) {
        this(pairs, targets, retries, parallelism, Map.of());
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

    /** The pairs that feed a target, remote sites' pairs included. */
    public List<String> pairsFeeding(String target) {
        List<String> feeding = new java.util.ArrayList<>(
                pairs.stream().filter(pair -> pair.targets().contains(target)).map(SourcePairPlan::name).toList());
        uplinks.stream().filter(uplink -> uplink.targets().contains(target))
                .map(io.busbar.routes.uplink.UplinkSourcePlan::name).forEach(feeding::add);
        sitePairs.entrySet().stream().filter(pair -> pair.getValue().contains(target)).map(Map.Entry::getKey)
                .sorted().forEach(feeding::add);
        return List.copyOf(feeding);
    }
}
