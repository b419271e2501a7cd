package io.busbar.bootstrap.config;

import io.busbar.bootstrap.federation.FederationPlan;
import io.busbar.routes.plan.BusbarPlan;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A configuration file that passed every check, compiled into what the application runs.
 *
 * @param file          the configuration file
 * @param plan          source pairs and targets for the routes
 * @param bufferDataDir where the embedded broker keeps its journal
 * @param bufferMaxDisk the most bytes the buffer may use before ingest pauses; empty for no own limit
 * @param bufferUrl     an external Artemis broker (or HA pair / cluster) instead of the embedded one
 * @param deployment    how this instance shares its source pairs with other instances
 * @param federation    site-to-central: forwarding to a central, or being one
 */
public record CompiledConfig(Path file, BusbarPlan plan, Path bufferDataDir, OptionalLong bufferMaxDisk,
                             Optional<String> bufferUrl, DeploymentPlan deployment, FederationPlan federation) {

    public static final String DEFAULT_DATA_DIR = io.busbar.bootstrap.config.schema.BufferConfig.DEFAULT_DATA_DIR;
}
