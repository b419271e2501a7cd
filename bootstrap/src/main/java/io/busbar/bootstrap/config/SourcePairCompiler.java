package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.schema.ConnectionConfig;
import io.busbar.bootstrap.config.schema.HealthConfig;
import io.busbar.bootstrap.config.schema.ServerConfig;
import io.busbar.bootstrap.config.schema.SourcePairConfig;
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
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import java.nio.file.Path;
import java.time.Duration;
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

    /** {@link #reportInterval(SourcePairConfig)} of an entry that may not bind: the check runs on any shape. */
    private static Duration reportInterval(JsonNode source) {
        if (source.has("poll") || modbus(source.path("primary"))) {
            return duration(source.path("poll"), "cycle", PollCycle.DEFAULT_CYCLE);
        }
        Duration publishing = duration(source, "publishing-interval", SourcePairPlan.DEFAULT_PUBLISHING_INTERVAL);
        return longer(duration(source, "sampling-interval", publishing), publishing);
    }

    /** The plan of an entry that passed the schema and the checks, from its bound record. */
    SourcePairPlan compile(String name, JsonNode source, Mapping mapping, List<String> targets) {
        SourcePairConfig pair = ConfigBinding.bind(source, SourcePairConfig.class);
        ServerPlan primary = server(ServerRole.PRIMARY, pair.primary(), pair);
        Optional<ServerPlan> secondary = Optional.ofNullable(pair.secondary())
                .map(server -> server(ServerRole.SECONDARY, server, pair));
        return new SourcePairPlan(name, primary, secondary, redundancy(pair), pair.backfill().policy(), mapping, targets);
    }

    private ServerPlan server(ServerRole role, ServerConfig server, SourcePairConfig pair) {
        if (modbus(server)) {
            return ServerPlan.modbus(role, ModbusGatewayOptions.of(server.endpoint(), pair.pollOrDefaults().pollCycle()));
        }
        ConnectionConfig connection = pair.connection();
        OpcUaSourceOptions.Builder options = OpcUaSourceOptions.builder(server.endpoint())
                .publishingInterval(pair.publishingInterval())
                .samplingInterval(pair.samplingInterval())
                .keepAliveInterval(connection.keepAliveInterval())
                .keepAliveTimeout(connection.keepAliveTimeout())
                .requestTimeout(connection.requestTimeout())
                .retryDelay(connection.retryDelay());
        ServerConfig.SecurityConfig security = server.security();
        if (security != null) {
            options.securityPolicy(OpcUaSecurityPolicy.fromConfig(security.policy()))
                    .pkiDirectory(baseDir.resolve(security.pkiDir()).normalize());
            if (security.username() != null) {
                options.credentials(security.username(), resolveSecret(security.password(), null));
            }
        }
        return pair.poll() != null ? ServerPlan.polled(role, options.build(), pair.poll().pollCycle())
                : new ServerPlan(role, options.build());
    }

    private static boolean modbus(ServerConfig server) {
        return server.endpoint().startsWith(ModbusGatewayOptions.SCHEME + "://");
    }

    private static RedundancyPolicy redundancy(SourcePairConfig pair) {
        RedundancyPolicy policy = RedundancyPolicy.defaults();
        if (pair.mode() != null) {
            policy = policy.withMode(RedundancyMode.valueOf(pair.mode().toUpperCase(Locale.ROOT)));
        }
        if (pair.preferred() != null) {
            policy = policy.withPreferred(Preferred.valueOf(pair.preferred().toUpperCase(Locale.ROOT)));
        }
        if (pair.failback() != null && !pair.failback().sticky()) {
            policy = policy.withFailback(new Failback.After(pair.failback().after()));
        }
        return policy.withMinDwell(pair.minDwell()).withCriteria(criteria(pair.health(), reportInterval(pair)));
    }

    /** How often a live server reports a new source time at most: the longer of the two intervals. */
    private static Duration reportInterval(SourcePairConfig pair) {
        if (pair.poll() != null || modbus(pair.primary())) {
            return pair.pollOrDefaults().cycle();
        }
        return longer(pair.samplingInterval(), pair.publishingInterval());
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) > 0 ? a : b;
    }

    /** @param reportInterval how often a live server reports at most; sets the default stale-after */
    private static HealthCriteria criteria(HealthConfig health, Duration reportInterval) {
        Optional<HeartbeatCriterion> heartbeat = Optional.ofNullable(health.heartbeat())
                .map(h -> new HeartbeatCriterion(h.node(), h.timeout()));
        Optional<RoleCriterion> role = Optional.ofNullable(health.role())
                .map(r -> new RoleCriterion(r.node(), String.valueOf(r.activeValue())));
        HealthCriteria criteria = new HealthCriteria(health.serviceLevel().used(), health.serviceLevel().threshold(),
                heartbeat, role, health.watch());
        return health.staleAfter() != null ? criteria.withStaleAfter(health.staleAfter())
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
