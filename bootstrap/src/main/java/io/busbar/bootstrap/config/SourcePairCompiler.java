package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.modbus.ModbusGatewayOptions;
import io.busbar.connectors.opcua.OpcUaSecurityPolicy;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.NodeIds;
import io.busbar.mappings.model.ModbusAddress;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import io.busbar.redundancy.Failback;
import io.busbar.redundancy.HealthCriteria;
import io.busbar.redundancy.HeartbeatCriterion;
import io.busbar.redundancy.Preferred;
import io.busbar.redundancy.RedundancyMode;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.redundancy.RoleCriterion;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compiles one {@code sources.<pair>} entry (already schema-checked) into a {@link SourcePairPlan}:
 * server connection options, redundancy policy and backfill policy. Checks what the schema cannot:
 * criterion node ids and {@code ${ENV}} references.
 */
final class SourcePairCompiler {

    static final String DEFAULT_PKI_DIR = "pki";

    private final LocatedDocument document;
    private final Path baseDir;
    private final List<Problem> problems;
    private final Secrets secrets;

    SourcePairCompiler(LocatedDocument document, Path baseDir, Function<String, String> environment, List<Problem> problems) {
        this.document = document;
        this.baseDir = baseDir;
        this.problems = problems;
        this.secrets = new Secrets(document, environment, problems);
    }

    /** Reports problems of a source entry that the schema cannot see; safe on any shape. */
    void check(String name, JsonNode source) {
        String pointer = "/sources/" + name;
        JsonNode health = source.path("health");
        checkNodeId(health.path("heartbeat").path("node"), pointer + "/health/heartbeat/node");
        checkNodeId(health.path("role").path("node"), pointer + "/health/role/node");
        JsonNode watch = health.path("watch");
        for (int i = 0; i < watch.size(); i++) {
            checkNodeId(watch.get(i), pointer + "/health/watch/" + i);
        }
        for (String server : List.of("primary", "secondary")) {
            JsonNode password = source.path(server).path("security").path("password");
            if (password.isTextual()) {
                resolveSecret(password.asText(), pointer + "/" + server + "/security/password");
            }
        }
        if (source.has("health") && health.path("role").isObject() && !source.has("secondary")) {
            problems.add(document.problemAt(pointer + "/health/role", "a role criterion needs a secondary server"));
        }
        checkStaleAfter(source, pointer);
        checkKind(source, pointer);
    }

    /** Both servers of a pair are of one kind; OPC UA-only settings do not apply to Modbus gateways. */
    private void checkKind(JsonNode source, String pointer) {
        if (!modbus(source.path("primary"))) {
            if (modbus(source.path("secondary"))) {
                problems.add(document.problemAt(pointer + "/secondary/endpoint",
                        "the primary is an OPC UA server: the secondary must be one too, not a Modbus gateway"));
            }
            return;
        }
        if (source.has("secondary") && !modbus(source.path("secondary"))) {
            problems.add(document.problemAt(pointer + "/secondary/endpoint",
                    "the primary is a Modbus gateway: the secondary must be one too (modbus-tcp://host:port)"));
        }
        for (String key : List.of("publishing-interval", "sampling-interval", "connection", "health")) {
            if (source.has(key)) {
                problems.add(document.problemAt(pointer + "/" + key, "does not apply to a Modbus gateway pair"
                        + " (it is polled: see poll.cycle, poll.timeout, poll.retries)"));
            }
        }
        for (String server : List.of("primary", "secondary")) {
            if (source.path(server).has("security")) {
                problems.add(document.problemAt(pointer + "/" + server + "/security",
                        "does not apply to a Modbus gateway (Modbus TCP has no security)"));
            }
        }
    }

    /**
     * Reports mapping nodes of the wrong kind for the pair: OPC UA node ids on a Modbus gateway pair,
     * Modbus addresses on an OPC UA pair.
     */
    void checkMapping(String name, JsonNode source, Mapping mapping) {
        boolean modbus = modbus(source.path("primary"));
        mapping.registers().stream()
                .filter(register -> ModbusAddress.isModbus(register.nodeId()) != modbus)
                .findFirst()
                .ifPresent(register -> problems.add(document.problemAt("/sources/" + name + "/primary/endpoint", modbus
                        ? "a Modbus gateway pair reads modbus: addresses, but its mapping has '" + register.nodeId()
                                + "' (meter " + register.meter() + ")"
                        : "an OPC UA pair reads node ids, but its mapping has the Modbus address '" + register.nodeId()
                                + "' (meter " + register.meter() + ")")));
    }

    private static boolean modbus(JsonNode server) {
        return server.path("endpoint").asText("").startsWith(ModbusGatewayOptions.SCHEME + "://");
    }

    private static PollCycle poll(JsonNode source) {
        JsonNode poll = source.path("poll");
        return new PollCycle(duration(poll, "cycle", PollCycle.DEFAULT_CYCLE),
                duration(poll, "timeout", PollCycle.DEFAULT_TIMEOUT),
                duration(poll, "retry-wait", PollCycle.DEFAULT_WAIT),
                poll.path("retries").asInt(PollCycle.DEFAULT_RETRIES));
    }

    /**
     * A live server reports at most once per interval, and the partner comparison needs the partner
     * seen advancing within half of stale-after: shorter than three intervals, live servers would be
     * judged stale.
     */
    private void checkStaleAfter(JsonNode source, String pointer) {
        JsonNode staleAfter = source.path("health").path("stale-after");
        if (!staleAfter.isTextual() || !staleAfter.asText().matches(Durations.PATTERN)
                || !validDuration(source, "publishing-interval") || !validDuration(source, "sampling-interval")) {
            return; // the schema reports malformed durations
        }
        Duration interval = reportInterval(source);
        Duration least = interval.multipliedBy(HealthCriteria.STALE_AFTER_INTERVALS);
        if (Durations.parse(staleAfter.asText()).compareTo(least) < 0) {
            problems.add(document.problemAt(pointer + "/health/stale-after", "must be at least "
                    + HealthCriteria.STALE_AFTER_INTERVALS + " × " + Durations.format(interval) + " = "
                    + Durations.format(least) + " (a live server reports once per sampling or publishing"
                    + " interval, whichever is longer)"));
        }
    }

    private static boolean validDuration(JsonNode parent, String key) {
        JsonNode value = parent.path(key);
        return value.isMissingNode() || (value.isTextual() && value.asText().matches(Durations.PATTERN));
    }

    /** How often a live server reports a new source time at most: the longer of the two intervals. */
    private static Duration reportInterval(JsonNode source) {
        if (source.has("poll") || modbus(source.path("primary"))) {
            return poll(source).cycle();
        }
        Duration publishing = duration(source, "publishing-interval", SourcePairPlan.DEFAULT_PUBLISHING_INTERVAL);
        Duration sampling = duration(source, "sampling-interval", publishing);
        return sampling.compareTo(publishing) > 0 ? sampling : publishing;
    }

    SourcePairPlan compile(String name, JsonNode source, Mapping mapping, List<String> targets) {
        Duration publishing = duration(source, "publishing-interval", SourcePairPlan.DEFAULT_PUBLISHING_INTERVAL);
        Duration sampling = duration(source, "sampling-interval", publishing);
        ServerPlan primary = server(ServerRole.PRIMARY, source.get("primary"), source, publishing, sampling);
        Optional<ServerPlan> secondary = source.has("secondary")
                ? Optional.of(server(ServerRole.SECONDARY, source.get("secondary"), source, publishing, sampling))
                : Optional.empty();
        JsonNode backfill = source.path("backfill");
        return new SourcePairPlan(name, primary, secondary, redundancy(source),
                new BackfillPolicy(duration(backfill, "overlap", BackfillPolicy.DEFAULT_OVERLAP),
                        duration(backfill, "max-window", BackfillPolicy.DEFAULT_MAX_WINDOW),
                        duration(backfill, "standby-window", BackfillPolicy.DEFAULT_STANDBY_WINDOW)),
                mapping, targets);
    }

    private ServerPlan server(ServerRole role, JsonNode server, JsonNode source, Duration publishing, Duration sampling) {
        if (modbus(server)) {
            return ServerPlan.modbus(role, ModbusGatewayOptions.of(server.get("endpoint").asText(), poll(source)));
        }
        JsonNode connection = source.path("connection");
        OpcUaSourceOptions.Builder options = OpcUaSourceOptions.builder(server.get("endpoint").asText())
                .publishingInterval(publishing)
                .samplingInterval(sampling)
                .keepAliveInterval(duration(connection, "keep-alive-interval", OpcUaSourceOptions.DEFAULT_KEEP_ALIVE_INTERVAL))
                .keepAliveTimeout(duration(connection, "keep-alive-timeout", OpcUaSourceOptions.DEFAULT_KEEP_ALIVE_TIMEOUT))
                .requestTimeout(duration(connection, "request-timeout", OpcUaSourceOptions.DEFAULT_REQUEST_TIMEOUT))
                .retryDelay(duration(connection, "retry-delay", OpcUaSourceOptions.DEFAULT_RETRY_DELAY));
        JsonNode security = server.path("security");
        if (security.isObject()) {
            OpcUaSecurityPolicy policy = OpcUaSecurityPolicy.fromConfig(security.path("policy").asText("None"));
            options.securityPolicy(policy)
                    .pkiDirectory(baseDir.resolve(security.path("pki-dir").asText(DEFAULT_PKI_DIR)).normalize());
            if (security.has("username")) {
                options.credentials(security.get("username").asText(),
                        resolveSecret(security.get("password").asText(), null));
            }
        }
        return source.has("poll") ? ServerPlan.polled(role, options.build(), poll(source))
                : new ServerPlan(role, options.build());
    }

    private RedundancyPolicy redundancy(JsonNode source) {
        RedundancyPolicy policy = RedundancyPolicy.defaults();
        if (source.has("mode")) {
            policy = policy.withMode(RedundancyMode.valueOf(source.get("mode").asText().toUpperCase(Locale.ROOT)));
        }
        if (source.has("preferred")) {
            policy = policy.withPreferred(Preferred.valueOf(source.get("preferred").asText().toUpperCase(Locale.ROOT)));
        }
        JsonNode failback = source.path("failback");
        if (failback.isObject()) {
            policy = policy.withFailback(new Failback.After(Durations.parse(failback.get("after").asText())));
        }
        policy = policy.withMinDwell(duration(source, "min-dwell", RedundancyPolicy.DEFAULT_MIN_DWELL));
        return policy.withCriteria(criteria(source.path("health"), reportInterval(source)));
    }

    /** @param reportInterval how often a live server reports at most; sets the default stale-after */
    private static HealthCriteria criteria(JsonNode health, Duration reportInterval) {
        JsonNode serviceLevel = health.path("service-level");
        boolean useServiceLevel = !serviceLevel.isBoolean() || serviceLevel.asBoolean();
        int threshold = serviceLevel.path("threshold").asInt(HealthCriteria.DEFAULT_SERVICE_LEVEL_THRESHOLD);
        Optional<HeartbeatCriterion> heartbeat = health.has("heartbeat")
                ? Optional.of(new HeartbeatCriterion(health.get("heartbeat").get("node").asText(),
                        Durations.parse(health.get("heartbeat").get("timeout").asText())))
                : Optional.empty();
        Optional<RoleCriterion> role = health.has("role")
                ? Optional.of(new RoleCriterion(health.get("role").get("node").asText(),
                        health.get("role").get("active-value").asText()))
                : Optional.empty();
        List<String> watch = new ArrayList<>();
        health.path("watch").forEach(node -> watch.add(node.asText()));
        HealthCriteria criteria = new HealthCriteria(useServiceLevel, threshold, heartbeat, role, watch);
        return health.has("stale-after")
                ? criteria.withStaleAfter(Durations.parse(health.get("stale-after").asText()))
                : criteria.withDefaultStaleAfter(reportInterval);
    }

    private void checkNodeId(JsonNode node, String pointer) {
        if (node.isTextual() && !NodeIds.isValid(node.asText())) {
            problems.add(document.problemAt(pointer, NodeIds.EXPECTED + ", not '" + node.asText() + "'"));
        }
    }

    /** {@code ${NAME}} → the environment variable; anything else is the secret itself. */
    private String resolveSecret(String value, String pointer) {
        return secrets.resolve(value, pointer);
    }

    private static Duration duration(JsonNode parent, String key, Duration fallback) {
        JsonNode value = parent.path(key);
        return value.isTextual() ? Durations.parse(value.asText()) : fallback;
    }

    static Function<String, String> systemEnvironment() {
        Map<String, String> env = System.getenv();
        return env::get;
    }
}
