package io.busbar.bootstrap.deployment;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.DeploymentPlan;
import io.busbar.routes.plan.SourcePairPlan;
import java.time.Clock;
import java.util.Optional;
import org.apache.camel.CamelContext;

/**
 * This instance's deployment: the plan from {@code deployment:} and, in distributed mode, the
 * cluster machinery that decides which pairs it leads.
 */
public final class ConnectorDeployment {

    private final DeploymentPlan plan;
    private final Optional<PairLeadership> leadership;
    private final CompiledConfig config;

    public ConnectorDeployment(CompiledConfig config) {
        this.config = config;
        this.plan = config.deployment();
        this.leadership = plan.mode() == DeploymentPlan.Mode.DISTRIBUTED
                ? Optional.of(new PairLeadership(ClusterServices.create(plan), plan.instanceId(),
                        plan.sharedDir().orElseThrow().resolve("leaders"), Clock.systemUTC()))
                : Optional.empty();
    }

    public DeploymentPlan plan() {
        return plan;
    }

    public Optional<PairLeadership> leadership() {
        return leadership;
    }

    /** Before routes are added: the cluster service and the policy that starts ingest only on the leader. */
    public void install(CamelContext context) throws Exception {
        if (leadership.isPresent()) {
            context.addService(leadership.get().service());
            context.addRoutePolicyFactory(leadership.get());
        }
    }

    /** Once the context runs: follow leadership changes for health and the leader notes. */
    public void started() throws Exception {
        if (leadership.isPresent()) {
            leadership.get().watch(config.plan().pairs().stream().map(SourcePairPlan::name).toList());
        }
    }
}
