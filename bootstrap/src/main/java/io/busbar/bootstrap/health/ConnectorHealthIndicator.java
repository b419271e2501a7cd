package io.busbar.bootstrap.health;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.DeploymentPlan;
import io.busbar.bootstrap.deployment.ConnectorDeployment;
import io.busbar.bootstrap.deployment.PairLeadership;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.SourcePairRuntime;
import io.busbar.routes.source.SourcePairs;
import io.busbar.routes.source.WaitingPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/connector}: this instance's deployment mode and, per pair, its role —
 * {@code forwarding} (it forwards the pair's active server), {@code standby} (co-located: the
 * partner instance forwards; distributed: another instance leads), {@code leading} (distributed:
 * it holds the pair's lock), {@code waiting} (its browse templates wait for a server to browse, with
 * the reason) or {@code idle} (no server to forward from) — with since when. In
 * distributed mode also the lock holder. Always UP: a standby instance is a healthy one.
 */
@Component("connectorHealthIndicator")
public class ConnectorHealthIndicator implements HealthIndicator {

    private final ConnectorDeployment deployment;
    private final SourcePairs pairs;
    private final CompiledConfig config;

    public ConnectorHealthIndicator(ConnectorDeployment deployment, SourcePairs pairs, CompiledConfig config) {
        this.deployment = deployment;
        this.pairs = pairs;
        this.config = config;
    }

    @Override
    public Health health() {
        DeploymentPlan plan = deployment.plan();
        Health.Builder health = Health.up().withDetail("mode", plan.mode().wireName());
        plan.beside().ifPresent(server -> health.withDetail("beside", server.wireName()));
        if (plan.mode() == DeploymentPlan.Mode.DISTRIBUTED) {
            health.withDetail("instance", plan.instanceId()).withDetail("lock", plan.lock().wireName());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (SourcePairPlan pair : config.plan().pairs()) {
            details.put(pair.name(), deployment.leadership()
                    .map(leadership -> distributed(pair.name(), leadership))
                    .orElseGet(() -> local(pairs.get(pair.name()), pairs.waiting(pair.name()))));
        }
        return health.withDetail("pairs", details).build();
    }

    private static Map<String, Object> local(Optional<SourcePairRuntime> runtime, Optional<WaitingPair> waiting) {
        Map<String, Object> pair = new LinkedHashMap<>();
        if (runtime.isEmpty() && waiting.isPresent()) {
            pair.put("role", "waiting");
            pair.put("since", waiting.get().since().toString());
            pair.put("reason", waiting.get().reason());
            return pair;
        }
        if (runtime.isEmpty()) {
            pair.put("role", "idle");
            return pair;
        }
        SourcePairRuntime running = runtime.get();
        String role = running.forwarding() ? "forwarding" : running.state().active().isPresent() ? "standby" : "idle";
        pair.put("role", role);
        pair.put("since", String.valueOf(running.forwardingSince()));
        running.state().active().ifPresent(server -> pair.put("active", server.wireName()));
        return pair;
    }

    private static Map<String, Object> distributed(String name, PairLeadership leadership) {
        Map<String, Object> pair = new LinkedHashMap<>();
        PairLeadership.Role role = leadership.role(name);
        pair.put("role", role.leading() ? "leading" : "standby");
        pair.put("since", role.since().toString());
        leadership.holder(name).ifPresent(holder -> {
            pair.put("lockHolder", holder.instance());
            pair.put("lockHolderSince", holder.since().toString());
        });
        return pair;
    }
}
