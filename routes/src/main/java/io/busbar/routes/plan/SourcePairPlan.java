package io.busbar.routes.plan;

import io.busbar.mappings.Mapping;
import io.busbar.redundancy.RedundancyPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A validated source pair, ready to run.
 *
 * @param name       pair name (part of every reading key, route id {@code ingest-<name>})
 * @param primary    the primary server
 * @param secondary  the secondary server, empty for a single server
 * @param redundancy how the active server is chosen
 * @param backfill   how gaps are closed from history
 * @param mapping    node → meter/quantity/scaling
 * @param targets    names of the targets this pair feeds
 */
public record SourcePairPlan(
        String name,
        ServerPlan primary,
        Optional<ServerPlan> secondary,
        RedundancyPolicy redundancy,
        BackfillPolicy backfill,
        Mapping mapping,
        List<String> targets) {

    public static final Duration DEFAULT_PUBLISHING_INTERVAL = Duration.ofSeconds(1);

    public SourcePairPlan {
        targets = List.copyOf(targets);
    }

    public Optional<ServerPlan> server(io.busbar.mappings.model.ServerRole role) {
        return role == io.busbar.mappings.model.ServerRole.PRIMARY ? Optional.of(primary) : secondary;
    }
}
