package io.busbar.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.mappings.validation.ValidationSettings;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a mapping file's {@code templates:} list: a meter written once, with
 * {@code {name}} placeholders in its id, serial, account, address, groups and register nodes or
 * browse paths, that expands to many meters. Two kinds:
 * <ul>
 *   <li>{@link Kind#FOR}: variables with a range or a list of values, e.g.
 *       {@code for: {meter: {from: 1, to: 5000, format: "%04d"}}}; several variables give every
 *       combination. Expands without a server.</li>
 *   <li>{@link Kind#BROWSE}: a browse-path pattern whose placeholders capture one path segment each,
 *       e.g. {@code browse: "Objects/Meters/{meter}/Energy"}; every distinct capture over the
 *       server's address space is one meter. Expands with {@link TemplateExpander#expand}.</li>
 * </ul>
 */
public final class Template {

    public enum Kind {
        FOR,
        BROWSE
    }

    private final LocatedDocument document;
    private final String pointer;
    private final Kind kind;
    private final Map<String, Values> forVariables;
    private final String browse;
    private final Pattern browseRegex;
    private final List<String> captureNames;
    private final List<String> variables;
    private final MeterSpec spec;

    private Template(LocatedDocument document, String pointer, Kind kind, Map<String, Values> forVariables, String browse,
                     Pattern browseRegex, List<String> captureNames, List<String> variables, MeterSpec spec) {
        this.document = document;
        this.pointer = pointer;
        this.kind = kind;
        this.forVariables = forVariables;
        this.browse = browse;
        this.browseRegex = browseRegex;
        this.captureNames = captureNames;
        this.variables = variables;
        this.spec = spec;
    }

    /** Where it is written, e.g. {@code templates[0]}. */
    public String path() {
        return LocatedDocument.dottedPath(pointer);
    }

    /** The mapping file it is written in, as problems name it. */
    public String file() {
        return document.file();
    }

    public Kind kind() {
        return kind;
    }

    /** The placeholder names it defines, in order. */
    public List<String> variables() {
        return variables;
    }

    /** The browse-path pattern of a {@link Kind#BROWSE} template, null otherwise. */
    public String browsePattern() {
        return browse;
    }

    /**
     * The part of the browse pattern before the first placeholder's segment, e.g. {@code Objects/Meters}
     * for {@code Objects/Meters/{meter}/Energy}: the source side need only browse below it. Empty when
     * the first segment already holds a placeholder; null for a {@link Kind#FOR} template.
     */
    public String browsePrefix() {
        return browse == null ? null : Mapping.browsePrefix(browse);
    }

    /** How many meters a {@link Kind#FOR} template makes (saturating at Long.MAX_VALUE); -1 for a browse template. */
    public long size() {
        if (kind == Kind.BROWSE) {
            return -1;
        }
        long size = 1;
        for (Values values : forVariables.values()) {
            size = values.size() == 0 ? 0 : size > Long.MAX_VALUE / values.size() ? Long.MAX_VALUE : size * values.size();
        }
        return size;
    }

    LocatedDocument document() {
        return document;
    }

    String pointer() {
        return pointer;
    }

    MeterSpec spec() {
        return spec;
    }

    /** The variable values of each meter it makes, in order: for a FOR template every combination, first variable outermost. */
    List<Map<String, String>> bindings(AddressSpace addressSpace) {
        return kind == Kind.FOR ? forBindings() : browseBindings(addressSpace);
    }

    private List<Map<String, String>> forBindings() {
        List<String> names = new ArrayList<>(forVariables.keySet());
        List<Values> values = new ArrayList<>(forVariables.values());
        long size = size();
        List<Map<String, String>> out = new ArrayList<>((int) Math.min(size, 1 << 16));
        int[] index = new int[names.size()];
        for (long n = 0; n < size; n++) {
            Map<String, String> binding = new LinkedHashMap<>();
            for (int v = 0; v < names.size(); v++) {
                binding.put(names.get(v), values.get(v).get(index[v]));
            }
            out.add(Collections.unmodifiableMap(binding));
            for (int v = names.size() - 1; v >= 0; v--) {
                if (++index[v] < values.get(v).size()) {
                    break;
                }
                index[v] = 0;
            }
        }
        return out;
    }

    private List<Map<String, String>> browseBindings(AddressSpace addressSpace) {
        Set<Map<String, String>> out = new LinkedHashSet<>();
        if (addressSpace == null) {
            return List.of();
        }
        for (String path : addressSpace.paths()) {
            Matcher matcher = browseRegex.matcher(path);
            if (matcher.matches()) {
                Map<String, String> binding = new LinkedHashMap<>();
                for (int g = 0; g < captureNames.size(); g++) {
                    binding.put(captureNames.get(g), matcher.group(g + 1));
                }
                out.add(Collections.unmodifiableMap(binding));
            }
        }
        return new ArrayList<>(out);
    }

    /** Compiles {@code templates[i]}; null when it is too broken to expand (the problems say why). */
    static Template compile(LocatedDocument document, String pointer, ValidationSettings fileSettings, List<Problem> problems) {
        JsonNode node = document.at(pointer);
        if (!node.isObject()) {
            return null;
        }
        boolean hasFor = node.has("for");
        boolean hasBrowse = node.has("browse");
        if (hasFor && hasBrowse) {
            problems.add(document.problemAt(pointer + "/browse", "a template has either 'for' or 'browse', not both"));
            return null;
        }
        if (!hasFor && !hasBrowse) {
            problems.add(document.problemAt(pointer, "missing required key 'for' (variables with ranges or lists)"
                    + " or 'browse' (a browse-path pattern)"));
            return null;
        }
        if (hasFor) {
            Map<String, Values> variables = forVariables(document, pointer + "/for", problems);
            if (variables == null) {
                return null;
            }
            List<String> names = List.copyOf(variables.keySet());
            return new Template(document, pointer, Kind.FOR, variables, null, null, null, names,
                    MeterSpec.compile(document, pointer, fileSettings, names, problems));
        }
        JsonNode browseNode = node.get("browse");
        if (!browseNode.isTextual()) {
            return null; // the schema says it must be a string
        }
        String browse = browseNode.asText();
        List<String> captures = new ArrayList<>();
        Pattern regex;
        try {
            regex = browseRegex(browse, captures);
        } catch (IllegalArgumentException e) {
            problems.add(document.problemAt(pointer + "/browse", e.getMessage()));
            return null;
        }
        if (captures.isEmpty()) {
            problems.add(document.problemAt(pointer + "/browse", "must capture at least one placeholder, such as Objects/Meters/{meter}/Energy"));
            return null;
        }
        return new Template(document, pointer, Kind.BROWSE, null, browse, regex, List.copyOf(captures), List.copyOf(captures),
                MeterSpec.compile(document, pointer, fileSettings, captures, problems));
    }

    /**
     * Each placeholder captures one path segment (escaped characters such as {@code \/} included); the
     * same placeholder twice must capture the same text.
     */
    private static Pattern browseRegex(String pattern, List<String> captures) {
        StringBuilder regex = new StringBuilder();
        for (Placeholders.Piece piece : Placeholders.parse(pattern)) {
            if (!piece.placeholder()) {
                regex.append(Pattern.quote(piece.text()));
            } else if (captures.contains(piece.text())) {
                regex.append("\\").append(captures.indexOf(piece.text()) + 1);
            } else {
                captures.add(piece.text());
                regex.append("((?:[^/\\\\]|\\\\.)+)");
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static Map<String, Values> forVariables(LocatedDocument document, String pointer, List<Problem> problems) {
        JsonNode node = document.at(pointer);
        if (!node.isObject() || node.isEmpty()) {
            return null; // the schema says what it must be
        }
        Map<String, Values> variables = new LinkedHashMap<>();
        boolean usable = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String at = pointer + LocatedDocument.pointerSegment(name);
            JsonNode value = entry.getValue();
            if (!Placeholders.NAME.matcher(name).matches()) {
                usable = false; // the schema names the allowed form
                continue;
            }
            if (value.isArray() && !value.isEmpty()) {
                List<String> list = new ArrayList<>(value.size());
                value.forEach(item -> list.add(item.isValueNode() ? item.asText() : ""));
                variables.put(name, new ListValues(List.copyOf(list)));
            } else if (value.isObject() && value.path("from").canConvertToLong() && value.path("to").canConvertToLong()
                    && value.path("from").isIntegralNumber() && value.path("to").isIntegralNumber()) {
                long from = value.get("from").longValue();
                long to = value.get("to").longValue();
                String format = value.path("format").isTextual() ? value.get("format").asText() : "%d";
                if (from > to) {
                    problems.add(document.problemAt(at + "/to", "must not be less than 'from' (" + from + ")"));
                    usable = false;
                } else if (!RangeValues.FORMAT.matcher(format).matches()) {
                    usable = false; // the schema says what a format looks like
                } else {
                    variables.put(name, new RangeValues(from, to, format));
                }
            } else {
                usable = false; // the schema says what a variable must be
            }
        }
        return usable ? variables : null;
    }

    /** The values of one FOR variable. */
    private interface Values {
        long size();

        String get(int index);
    }

    private record ListValues(List<String> values) implements Values {
        @Override
        public long size() {
            return values.size();
        }

        @Override
        public String get(int index) {
            return values.get(index);
        }
    }

    private record RangeValues(long from, long to, String format) implements Values {
        /** One %d with an optional width (0-padded with a leading 0), and any text with %% for a percent sign. */
        static final Pattern FORMAT = Pattern.compile("^(?:[^%]|%%)*%(?:0?[1-9][0-9]?)?d(?:[^%]|%%)*$");

        @Override
        public long size() {
            return to - from + 1 < 0 ? Long.MAX_VALUE : to - from + 1;
        }

        @Override
        public String get(int index) {
            return String.format(Locale.ROOT, format, from + index);
        }
    }
}
