package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.target.TargetType;
import io.busbar.connectors.target.Targets;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The entries of {@code targets}: each is checked and bound by the {@link TargetType} its
 * {@code type} names (see {@link Targets}); this class gives them the configuration file around
 * them as a {@link TargetEntry}.
 */
final class TargetCompiler {

    private final LocatedDocument document;
    private final Path baseDir;
    private final Secrets secrets;
    private final List<Problem> problems;
    /** Output → the target that claimed it first, across all entries of the file. */
    private final Map<String, String> claims = new HashMap<>();

    TargetCompiler(LocatedDocument document, Path baseDir, Secrets secrets, List<Problem> problems) {
        this.document = document;
        this.baseDir = baseDir;
        this.secrets = secrets;
        this.problems = problems;
    }

    /** Reports problems of one target entry that the schema cannot see; safe on any shape. */
    void check(String name, JsonNode target) {
        // an unknown or missing type is the schema's to report
        Targets.type(target.path("type").asText()).ifPresent(type -> type.check(new Entry(name, target)));
    }

    /** The settings of an entry that passed the schema and the checks. */
    TargetSettings compile(String name, JsonNode target) {
        TargetType<?> type = Targets.type(target.get("type").asText())
                .orElseThrow(() -> new IllegalStateException("the schema admits only registered target types"));
        return type.settings(new Entry(name, target));
    }

    /** One entry, located in the file: pointers below it become pointers of the document. */
    private final class Entry implements TargetEntry {

        private final String name;
        private final JsonNode node;
        private final String at;

        Entry(String name, JsonNode node) {
            this.name = name;
            this.node = node;
            this.at = "/targets" + LocatedDocument.pointerSegment(name);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public JsonNode node() {
            return node;
        }

        @Override
        public <C extends Record> C config(Class<C> record) {
            return ConfigBinding.bind(node, record);
        }

        @Override
        public void problem(String pointer, String message) {
            problems.add(document.problemAt(at + pointer, message));
        }

        @Override
        public Optional<String> secret(String pointer) {
            JsonNode value = node.at(pointer);
            if (!value.isValueNode() || value.isNull()) {
                return Optional.empty();
            }
            return Optional.ofNullable(secrets.resolve(value.asText(), at + pointer));
        }

        @Override
        public Path path(String relative) {
            return baseDir.resolve(relative).normalize();
        }

        @Override
        public Duration duration(String pointer, Duration fallback) {
            JsonNode value = node.at(pointer);
            return value.isTextual() ? Durations.parse(value.asText()) : fallback;
        }

        @Override
        public long size(String pointer, long fallback) {
            JsonNode value = node.at(pointer);
            return value.isTextual() ? Sizes.parse(value.asText()) : fallback;
        }

        @Override
        public void claim(String output, String pointer, UnaryOperator<String> problem) {
            String other = claims.putIfAbsent(output, name);
            if (other != null) {
                problem(pointer, problem.apply(other));
            }
        }
    }
}
