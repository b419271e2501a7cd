package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.DeploymentPlan.KubernetesLeases;
import io.busbar.bootstrap.config.DeploymentPlan.Lock;
import io.busbar.bootstrap.config.DeploymentPlan.Mode;
import io.busbar.bootstrap.config.schema.DeploymentConfig;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.plan.ForwardingScope;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the {@code deployment} section (already schema-checked) and checks what the schema
 * cannot: which keys belong to which mode, and that co-located pairs have a partner server and no
 * failback policy.
 */
final class DeploymentCompiler {

    private static final Set<String> DISTRIBUTED_ONLY = Set.of("shared-dir", "lock", "takeover-within", "instance-id",
            "kubernetes");

    private final LocatedDocument document;
    private final Path baseDir;
    private final Secrets secrets;
    private final List<Problem> problems;

    DeploymentCompiler(LocatedDocument document, Path baseDir, Secrets secrets, List<Problem> problems) {
        this.document = document;
        this.baseDir = baseDir;
        this.secrets = secrets;
        this.problems = problems;
    }

    /** Reports the problems of a deployment section that the schema cannot see; safe on any shape. */
    void check(JsonNode root) {
        JsonNode deployment = root.path("deployment");
        if (!deployment.isObject()) {
            return;
        }
        Optional<Mode> mode = mode(deployment.path("mode").asText("standalone"));
        if (mode.isEmpty()) {
            return; // the schema reports an unknown mode
        }
        String modeName = mode.get().wireName();
        if (mode.get() == Mode.CO_LOCATED && !deployment.has("beside")) {
            problems.add(document.problemAt("/deployment", "co-located mode needs beside: primary or secondary"
                    + " (the server this instance runs beside)"));
        }
        if (mode.get() != Mode.CO_LOCATED && deployment.has("beside")) {
            problems.add(document.problemAt("/deployment/beside", "beside applies only to mode co-located, not " + modeName));
        }
        if (mode.get() == Mode.STANDALONE && deployment.has("takeover-overlap")) {
            problems.add(document.problemAt("/deployment/takeover-overlap",
                    "takeover-overlap applies only to modes co-located and distributed"));
        }
        if (mode.get() == Mode.DISTRIBUTED) {
            checkDistributed(deployment);
        } else {
            for (String key : DISTRIBUTED_ONLY) {
                if (deployment.has(key)) {
                    problems.add(document.problemAt("/deployment/" + key, key + " applies only to mode distributed, not "
                            + modeName));
                }
            }
        }
        if (mode.get() == Mode.CO_LOCATED) {
            root.path("sources").fields().forEachRemaining(source -> {
                if (source.getValue().isObject() && !source.getValue().has("secondary")) {
                    problems.add(document.problemAt("/sources/" + source.getKey(), "co-located mode needs a secondary"
                            + " server in every pair: an instance runs beside each server of a pair"));
                }
                // PairSelector: without shared state only a rule that ignores each instance's history
                // keeps the two instances agreeing; a sticky or delayed failback is such a history
                if (source.getValue().has("failback")) {
                    problems.add(document.problemAt("/sources/" + source.getKey() + "/failback", "failback does not"
                            + " apply in co-located mode: the two instances share no state, so both choose by what"
                            + " they see (healthy first, then the preferred primary) and return to the primary once"
                            + " it is healthy again; remove failback"));
                }
            });
        }
    }

    private void checkDistributed(JsonNode deployment) {
        if (!deployment.has("shared-dir")) {
            problems.add(document.problemAt("/deployment", "distributed mode needs shared-dir: a directory every"
                    + " instance mounts (the pairs' watermarks live there, so a new leader continues from them)"));
        }
        if (deployment.has("kubernetes") && !"kubernetes".equals(deployment.path("lock").asText())) {
            problems.add(document.problemAt("/deployment/kubernetes", "kubernetes settings need lock: kubernetes"));
        }
        JsonNode within = deployment.path("takeover-within");
        if (within.isTextual() && within.asText().matches(Durations.PATTERN)
                && Durations.parse(within.asText()).compareTo(DeploymentPlan.MIN_TAKEOVER_WITHIN) < 0) {
            problems.add(document.problemAt("/deployment/takeover-within", "must be at least 5s (the lock heartbeat"
                    + " must be seen stale several times before another instance takes over)"));
        }
        JsonNode id = deployment.path("instance-id");
        if (id.isTextual()) {
            secrets.resolve(id.asText(), "/deployment/instance-id");
        }
        JsonNode namespace = deployment.path("kubernetes").path("namespace");
        if (namespace.isTextual()) {
            secrets.resolve(namespace.asText(), "/deployment/kubernetes/namespace");
        }
    }

    DeploymentPlan compile(JsonNode root) {
        DeploymentPlan defaults = DeploymentPlan.standalone();
        if (!root.path("deployment").isObject()) {
            return defaults;
        }
        DeploymentConfig deployment = ConfigBinding.bind(root.get("deployment"), DeploymentConfig.class);
        DeploymentConfig.KubernetesConfig kubernetes = Objects.requireNonNullElse(deployment.kubernetes(),
                new DeploymentConfig.KubernetesConfig(null, null));
        return new DeploymentPlan(mode(deployment.mode()).orElse(Mode.STANDALONE),
                Optional.ofNullable(deployment.beside()).map(side -> ServerRole.valueOf(side.toUpperCase(Locale.ROOT))),
                Objects.requireNonNullElse(deployment.takeoverOverlap(), ForwardingScope.DEFAULT_TAKEOVER_OVERLAP),
                Optional.ofNullable(deployment.sharedDir()).map(dir -> baseDir.resolve(dir).normalize()),
                "kubernetes".equals(deployment.lock()) ? Lock.KUBERNETES : Lock.FILE,
                Objects.requireNonNullElse(deployment.takeoverWithin(), DeploymentPlan.DEFAULT_TAKEOVER_WITHIN),
                deployment.instanceId() != null ? secrets.resolve(deployment.instanceId(), null) : defaults.instanceId(),
                new KubernetesLeases(
                        Optional.ofNullable(kubernetes.namespace()).map(namespace -> secrets.resolve(namespace, null)),
                        Objects.requireNonNullElse(kubernetes.leasePrefix(), KubernetesLeases.DEFAULT_LEASE_PREFIX)));
    }

    private static Optional<Mode> mode(String written) {
        String text = written == null ? "standalone" : written;
        for (Mode mode : Mode.values()) {
            if (mode.wireName().equals(text)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
