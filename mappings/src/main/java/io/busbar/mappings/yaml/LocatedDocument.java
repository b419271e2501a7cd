package io.busbar.mappings.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * A YAML document turned into a Jackson tree that still knows where every key came from, so each
 * later check (JSON Schema, cross references) can report {@code file:line:column}.
 *
 * <p>SnakeYAML's node graph is used instead of Jackson's YAML parser because it keeps a mark for
 * every key and value. Floats become {@link BigDecimal} so that scale factors stay exact.
 */
public final class LocatedDocument {

    /** Guards against "billion laughs" and accidental huge files; both are far above real configs. */
    private static final int MAX_ALIASES = 100;
    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024;
    /**
     * SnakeYAML limits the number of aliases, not what they expand to: 9 levels of 10 aliases each
     * stay under {@link #MAX_ALIASES} and still expand to 10^9 values. This caps the values produced
     * by repeating an already converted node.
     */
    private static final int MAX_ALIAS_EXPANSION = 100_000;
    private static final int MAX_DEPTH = 64;

    private final String file;
    private final JsonNode root;
    private final Map<String, Position> positions;

    private LocatedDocument(String file, JsonNode root, Map<String, Position> positions) {
        this.file = file;
        this.root = root;
        this.positions = positions;
    }

    /**
     * Reads and parses a file. A missing or unreadable file, bad encoding, a YAML syntax error or a
     * duplicate key become {@link Problem}s in an {@link InvalidConfigurationException}.
     *
     * @param displayName how problems name the file (usually the path the user gave)
     */
    public static LocatedDocument read(Path path, String displayName) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw single(displayName, Position.UNKNOWN, "file not found");
        } catch (MalformedInputException e) {
            throw single(displayName, Position.UNKNOWN, "not valid UTF-8 text");
        } catch (IOException e) {
            throw single(displayName, Position.UNKNOWN, "cannot read file: " + e.getMessage());
        }
        return parse(text, displayName);
    }

    public static LocatedDocument parse(String text, String displayName) {
        Node node;
        try (Reader reader = new StringReader(text)) {
            node = new Yaml(loaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getContext();
            if (e.getProblem() != null && e.getContext() != null && e.getProblem().startsWith("but ")) {
                // "but found another document" only makes sense after "expected a single document in the stream"
                what = e.getContext() + ", " + e.getProblem();
            }
            throw single(displayName, positionOf(mark), "YAML syntax error: " + oneLine(what) + openedAt(e));
        } catch (ReaderException e) {
            throw single(displayName, positionOfCodePoint(text, e.getPosition()),
                    "YAML syntax error: character U+" + String.format("%04X", e.getCodePoint()) + " is not allowed");
        } catch (YAMLException e) {
            throw single(displayName, Position.UNKNOWN, "YAML error: " + oneLine(e.getMessage()));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringReader does not fail
        }
        Map<String, Position> positions = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        if (node == null) {
            return new LocatedDocument(displayName, JsonNodeFactory.instance.objectNode(), positions);
        }
        JsonNode root = new Converter(displayName, positions, problems).convert(node, "");
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new LocatedDocument(displayName, root, positions);
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** The value at a JSON pointer such as {@code /meters/0/id}; a missing node (never null) when absent. */
    public JsonNode at(String pointer) {
        return root.at(com.fasterxml.jackson.core.JsonPointer.compile(pointer));
    }

    /**
     * Where a JSON pointer (e.g. {@code /sources/plant/primary}) is written; for a pointer that does
     * not exist (a missing key) the position of its nearest existing parent.
     */
    public Position positionOf(String pointer) {
        String p = pointer;
        while (true) {
            Position found = positions.get(p);
            if (found != null) {
                return found;
            }
            if (p.isEmpty()) {
                return Position.UNKNOWN;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** A problem at a JSON pointer, with the pointer shown as a dotted path. */
    public Problem problemAt(String pointer, String message) {
        Position at = positionOf(pointer);
        return new Problem(file, at.line(), at.column(), dottedPath(pointer), message);
    }

    /** {@code /sources/plant/registers/0/node} → {@code sources.plant.registers[0].node}. */
    public static String dottedPath(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String raw : pointer.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            String part = raw.replace("~1", "/").replace("~0", "~");
            if (part.chars().allMatch(Character::isDigit)) {
                out.append('[').append(part).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(part);
            }
        }
        return out.toString();
    }

    public static String pointerSegment(String key) {
        return "/" + key.replace("~", "~0").replace("/", "~1");
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private static InvalidConfigurationException single(String file, Position at, String message) {
        return new InvalidConfigurationException(List.of(new Problem(file, at.line(), at.column(), "", message)));
    }

    /** SnakeYAML's reader reports a code point index; count lines and columns up to it. */
    private static Position positionOfCodePoint(String text, int index) {
        int line = 1;
        int column = 1;
        int offset = 0;
        for (int i = 0; i < index && offset < text.length(); i++) {
            int codePoint = text.codePointAt(offset);
            offset += Character.charCount(codePoint);
            if (codePoint == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(line, column);
    }

    /**
     * Where the construct the parser was in opened, when that is elsewhere than the problem: an unclosed
     * {@code [} or quote is only noticed lines later, and the user looks for the opening, not the end.
     */
    private static String openedAt(MarkedYAMLException e) {
        Mark context = e.getContextMark();
        Mark problem = e.getProblemMark();
        if (e.getContext() == null || context == null || problem == null || e.getProblem() == null
                || e.getProblem().startsWith("but ") || context.getIndex() == problem.getIndex()) {
            return "";
        }
        Position opened = positionOf(context);
        String construct = oneLine(e.getContext()).replaceFirst("^while (parsing|scanning) ", "");
        return " (" + construct + " opened at " + opened.line() + ":" + opened.column() + ")";
    }

    private static Position positionOf(Mark mark) {
        return mark == null ? Position.UNKNOWN : new Position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String oneLine(String text) {
        return text == null ? "unknown" : text.replaceAll("\\s+", " ").trim();
    }

    /** Walks the SnakeYAML node graph, building Jackson nodes and recording positions. */
    private static final class Converter {
        private final String file;
        private final Map<String, Position> positions;
        private final List<Problem> problems;
        private final JsonNodeFactory json = JsonNodeFactory.withExactBigDecimals(true);
        private final Set<Node> converted = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Node> enclosing = Collections.newSetFromMap(new IdentityHashMap<>());
        private int depth;
        private int expanded;

        Converter(String file, Map<String, Position> positions, List<Problem> problems) {
            this.file = file;
            this.positions = positions;
            this.problems = problems;
        }

        JsonNode convert(Node node, String pointer) {
            Position at = positionOf(node.getStartMark());
            positions.putIfAbsent(pointer, at);
            if (!converted.add(node) && ++expanded > MAX_ALIAS_EXPANSION) {
                if (expanded == MAX_ALIAS_EXPANSION + 1) {
                    problems.add(new Problem(file, at.line(), at.column(), dottedPath(pointer),
                            "aliases expand to more than " + MAX_ALIAS_EXPANSION + " values"));
                }
                return json.nullNode();
            }
            if (!enclosing.add(node)) {
                // an alias to one of its own parents, e.g. "&a [*a, *a]": converting it would never end
                problems.add(new Problem(file, at.line(), at.column(), dottedPath(pointer), "an alias refers to a value that contains it"));
                return json.nullNode();
            }
            if (++depth > MAX_DEPTH) {
                depth--;
                enclosing.remove(node);
                problems.add(new Problem(file, at.line(), at.column(), dottedPath(pointer), "nested too deeply"));
                return json.nullNode();
            }
            try {
                if (node instanceof MappingNode mapping) {
                    return convertMapping(mapping, pointer);
                }
                if (node instanceof SequenceNode sequence) {
                    ArrayNode array = json.arrayNode();
                    List<Node> items = sequence.getValue();
                    for (int i = 0; i < items.size(); i++) {
                        array.add(convert(items.get(i), pointer + "/" + i));
                    }
                    return array;
                }
                return convertScalar((ScalarNode) node);
            } finally {
                depth--;
                enclosing.remove(node);
            }
        }

        private JsonNode convertMapping(MappingNode mapping, String pointer) {
            ObjectNode object = json.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                Position keyAt = positionOf(tuple.getKeyNode().getStartMark());
                if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                    problems.add(new Problem(file, keyAt.line(), keyAt.column(), dottedPath(pointer),
                            "keys must be plain names, not lists or maps"));
                    continue;
                }
                String key = keyNode.getValue();
                String child = pointer + pointerSegment(key);
                if (object.has(key)) {
                    problems.add(new Problem(file, keyAt.line(), keyAt.column(), dottedPath(child),
                            "duplicate key '" + key + "'"));
                    continue;
                }
                positions.put(child, keyAt);
                object.set(key, convert(tuple.getValueNode(), child));
            }
            return object;
        }

        private JsonNode convertScalar(ScalarNode scalar) {
            String text = scalar.getValue();
            Tag tag = scalar.getTag();
            try {
                if (Tag.NULL.equals(tag)) {
                    return json.nullNode();
                }
                if (Tag.BOOL.equals(tag)) {
                    return json.booleanNode(isTrue(text));
                }
                if (Tag.INT.equals(tag)) {
                    return json.numberNode(new BigInteger(text.replace("_", "")));
                }
                if (Tag.FLOAT.equals(tag)) {
                    return json.numberNode(new BigDecimal(text.replace("_", "")));
                }
            } catch (NumberFormatException e) {
                // YAML 1.1 forms such as 0x1F, 1:20 or .inf: keep the text and let the schema complain
            }
            return json.textNode(text);
        }

        private static boolean isTrue(String text) {
            return switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            };
        }
    }
}
