package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.schema.BufferConfig;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import io.busbar.mappings.yaml.SchemaCheck;
import io.busbar.routes.plan.BusbarPlan;
import io.busbar.routes.plan.SourcePairPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads {@code busbar.yaml}: parse (syntax, duplicate keys) → JSON Schema → the checks a schema
 * cannot express (references between sections, mapping files and their contents) → a
 * {@link CompiledConfig}. Every problem found is reported, each with file:line:column.
 *
 * <p>Relative paths in the file (mapping files, file targets, the buffer directory) are resolved
 * against the directory of the configuration file, so a config works from any working directory.
 */
public final class ConfigFile {

    private static final SchemaCheck SCHEMA = SchemaCheck.of(ConfigSchema.text());

    private final Path file;
    private final Path baseDir;
    private final LocatedDocument document;
    private final List<Problem> problems = new ArrayList<>();
    private final SourcePairCompiler sourcePairs;
    private final TargetCompiler targetCompiler;
    private final DeploymentCompiler deployment;
    private final FederationCompiler federation;
    private final UplinkSourceCompiler uplinks;

    private ConfigFile(Path file, LocatedDocument document, Function<String, String> environment) {
        this.file = file;
        this.baseDir = file.toAbsolutePath().getParent();
        this.document = document;
        this.sourcePairs = new SourcePairCompiler(document, baseDir, environment, problems);
        this.targetCompiler = new TargetCompiler(document, baseDir, new Secrets(document, environment, problems), problems);
        this.deployment = new DeploymentCompiler(document, baseDir, new Secrets(document, environment, problems), problems);
        this.federation = new FederationCompiler(document, baseDir, new Secrets(document, environment, problems), problems);
        this.uplinks = new UplinkSourceCompiler(document, baseDir, new Secrets(document, environment, problems), problems);
    }

    public static SchemaCheck schema() {
        return SCHEMA;
    }

    /**
     * @throws InvalidConfigurationException listing every problem of the file and its mapping files
     */
    public static CompiledConfig load(Path file) {
        return load(file, SourcePairCompiler.systemEnvironment());
    }

    /** @param environment where {@code ${NAME}} secrets are looked up */
    public static CompiledConfig load(Path file, Function<String, String> environment) {
        return new ConfigFile(file, LocatedDocument.read(file, file.toString()), environment).compile();
    }

    private CompiledConfig compile() {
        problems.addAll(SCHEMA.check(document));
        // The cross checks below run even when the schema found problems, so one run reports
        // everything; they read the tree defensively and only build the plan once all is well.
        JsonNode root = document.root();
        Map<String, List<String>> targetsByPair = routes(root);
        Map<String, Mapping> mappings = mappings(root);
        checkSources(root, targetsByPair);
        checkUplinks(root, targetsByPair, mappings);
        mappings.forEach((pair, mapping) -> { // a Modbus pair reads modbus: addresses, an OPC UA pair node ids
            if (root.path("sources").has(pair)) {
                sourcePairs.checkMapping(pair, root.path("sources").path(pair), mapping);
            }
        });
        checkTargets(root);
        deployment.check(root);
        federation.check(root);
        FederationCompiler.sitePairs(root).forEach((pair, site) -> {
            if (!targetsByPair.containsKey(pair)) {
                problems.add(document.problemAt("/central/sites/" + site + "/pairs", "site pair '" + pair
                        + "' feeds no target: add a routes entry with from: " + pair));
            }
        });
        io.busbar.bootstrap.accounting.AccountingSettings.check(document, mappings, problems);
        JsonNode maxDisk = root.path("buffer").path("max-disk");
        if (maxDisk.isTextual() && maxDisk.asText().matches("^[0-9]+(KB|MB|GB|TB)$")
                && Sizes.parse(maxDisk.asText()) < Sizes.MIN_BUFFER_BYTES) {
            problems.add(document.problemAt("/buffer/max-disk", "must be at least 64MB (the journal alone preallocates"
                    + " tens of MB)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        List<SourcePairPlan> pairs = new ArrayList<>();
        root.path("sources").fields().forEachRemaining(source -> pairs.add(sourcePairs.compile(source.getKey(),
                source.getValue(), mappings.get(source.getKey()), targetsByPair.getOrDefault(source.getKey(), List.of()))));
        BufferConfig buffer = ConfigBinding.bind(root.path("buffer"), BufferConfig.class);
        Map<String, List<String>> sitePairs = new HashMap<>();
        FederationCompiler.sitePairs(root).keySet().forEach(pair -> sitePairs.put(pair, targetsByPair.getOrDefault(pair, List.of())));
        List<io.busbar.routes.uplink.UplinkSourcePlan> uplinkPlans = new ArrayList<>();
        root.path("uplinks").fields().forEachRemaining(uplink -> uplinkPlans.add(uplinks.compile(uplink.getKey(),
                uplink.getValue(), mappings.get(uplink.getKey()), targetsByPair.getOrDefault(uplink.getKey(), List.of()))));
        Map<String, TargetDelivery> delivery = TargetDelivery.byTarget(root.path("targets"));
        return new CompiledConfig(file, new BusbarPlan(pairs, targets(root), TargetDelivery.retries(delivery),
                TargetDelivery.parallelism(delivery), sitePairs, uplinkPlans),
                baseDir.resolve(buffer.dataDirOrDefault()).normalize(),
                buffer.maxDisk() == null ? OptionalLong.empty() : OptionalLong.of(Sizes.parse(buffer.maxDisk())),
                Optional.ofNullable(buffer.url()).map(BufferConfig.BrokerUrls::connectionUrl), deployment.compile(root),
                federation.compile(root));
    }

    private void checkSources(JsonNode root, Map<String, List<String>> targetsByPair) {
        for (String name : names(root.path("sources"))) {
            sourcePairs.check(name, root.path("sources").path(name));
            if (!targetsByPair.containsKey(name) && !FederationCompiler.forwardedPairs(root).contains(name)) {
                problems.add(document.problemAt("/sources/" + name, "source pair '" + name
                        + "' feeds no target: add a routes entry with from: " + name));
            }
            if (!root.path("mappings").has(name)) {
                problems.add(document.problemAt("/sources/" + name, "source pair '" + name
                        + "' has no mapping file: add mappings." + name));
            }
        }
    }

    /** IoT uplink sources: their own checks, a target, a mapping of uplink registers, a name no pair has. */
    private void checkUplinks(JsonNode root, Map<String, List<String>> targetsByPair, Map<String, Mapping> mappings) {
        for (String name : names(root.path("uplinks"))) {
            String at = "/uplinks/" + name;
            uplinks.check(name, root.path("uplinks").path(name));
            if (root.path("sources").has(name)) {
                problems.add(document.problemAt(at, "'" + name + "' is also a source pair: give the uplink source"
                        + " another name (it is part of every reading key)"));
            }
            if (!targetsByPair.containsKey(name)) {
                problems.add(document.problemAt(at, "uplink source '" + name
                        + "' feeds no target: add a routes entry with from: " + name));
            }
            if (!root.path("mappings").has(name)) {
                problems.add(document.problemAt(at, "uplink source '" + name + "' has no mapping file: add mappings."
                        + name));
            } else if (mappings.containsKey(name)) {
                uplinks.checkMapping(name, mappings.get(name));
            }
        }
    }

    private Map<String, List<String>> routes(JsonNode root) {
        Map<String, Set<String>> byPair = new LinkedHashMap<>();
        JsonNode routes = root.path("routes");
        for (int i = 0; i < routes.size(); i++) {
            JsonNode from = routes.get(i).path("from");
            if (!from.isTextual()) {
                continue;
            }
            Map<String, String> sitePairs = FederationCompiler.sitePairs(root);
            if ((root.path("sources").isObject() || !sitePairs.isEmpty() || root.path("uplinks").isObject())
                    && !root.path("sources").has(from.asText()) && !root.path("uplinks").has(from.asText())
                    && !sitePairs.containsKey(from.asText())) {
                List<String> defined = new ArrayList<>(names(root.path("sources")));
                defined.addAll(names(root.path("uplinks")));
                defined.addAll(sitePairs.keySet());
                problems.add(document.problemAt("/routes/" + i + "/from", "unknown source pair '" + from.asText()
                        + "' (defined: " + String.join(", ", defined) + ")"));
            }
            JsonNode to = routes.get(i).path("to");
            for (int t = 0; t < to.size(); t++) {
                String target = to.get(t).asText();
                if (root.path("targets").isObject() && !root.path("targets").has(target)) {
                    problems.add(document.problemAt("/routes/" + i + "/to/" + t, "unknown target '" + target
                            + "' (defined: " + String.join(", ", names(root.path("targets"))) + ")"));
                }
                byPair.computeIfAbsent(from.asText(), k -> new LinkedHashSet<>()).add(target);
            }
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        byPair.forEach((pair, targets) -> result.put(pair, List.copyOf(targets)));
        return result;
    }

    private Map<String, Mapping> mappings(JsonNode root) {
        Map<String, Mapping> result = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("mappings").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String pair = entry.getKey();
            String pointer = "/mappings/" + pair;
            if ((root.path("sources").isObject() || root.path("uplinks").isObject()) && !root.path("sources").has(pair)
                    && !root.path("uplinks").has(pair)) {
                problems.add(document.problemAt(pointer, "mapping for unknown source pair '" + pair + "'"));
                continue;
            }
            List<String> files = new ArrayList<>();
            if (entry.getValue().isArray()) {
                entry.getValue().forEach(f -> files.add(f.asText()));
            } else if (entry.getValue().isTextual()) {
                files.add(entry.getValue().asText());
            }
            loadMapping(pair, pointer, files).ifPresent(mapping -> result.put(pair, mapping));
        }
        return result;
    }

    private Optional<Mapping> loadMapping(String pair, String pointer, List<String> files) {
        List<Mapping> parts = new ArrayList<>();
        boolean complete = true;
        for (String relative : files) {
            if (relative.isBlank()) {
                continue; // the schema reports it
            }
            try {
                parts.add(MappingFile.load(pair, baseDir.resolve(relative), displayOf(relative)));
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
                complete = false;
            }
        }
        if (!complete) {
            return Optional.empty();
        }
        try {
            // combining reports a node mapped in two files, located in both
            return Optional.of(Mapping.combine(pair, parts));
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    /** What each target's type checks beyond the schema (see {@link io.busbar.connectors.target.Targets}). */
    private void checkTargets(JsonNode root) {
        root.path("targets").fields().forEachRemaining(entry -> targetCompiler.check(entry.getKey(), entry.getValue()));
    }

    private List<TargetSettings> targets(JsonNode root) {
        List<TargetSettings> result = new ArrayList<>();
        root.path("targets").fields().forEachRemaining(entry -> result.add(targetCompiler.compile(entry.getKey(), entry.getValue())));
        return result;
    }

    /** How a mapping file is named in problems: as the user would find it from the working directory. */
    private String displayOf(String relative) {
        Path shown = file.getParent() == null ? Path.of(relative) : file.getParent().resolve(relative);
        return shown.normalize().toString();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        if (object.isObject()) {
            object.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
