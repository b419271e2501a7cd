package io.busbar.connectors.opcua.browse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mapping file to start from, made from browsed variables: one meter per node holding numeric
 * scalar variables (its id from that node's browse name), one register per such variable with its
 * NodeId, a suggested quantity code and unit ({@link QuantitySuggestion}) and a comment with its
 * browse name, data type and description. Every guess a person must check is marked {@code # TODO}.
 *
 * <p>The file follows the mapping schema: meter ids without spaces or {@code /} and unique, each
 * quantity once per meter (a second variable that suggests a taken quantity gets a placeholder code,
 * so reading keys stay unique), units of at most 32 characters. Where several meters below one
 * folder have the same registers, a comment shows the browse template that could replace them.
 */
public final class MappingSkeleton {

    /** Longest meter id the mapping schema allows. */
    static final int MAX_ID_LENGTH = 128;
    private static final int MAX_COMMENT_TEXT = 120;
    private static final int COMMENT_COLUMN = 52;
    private static final int MAX_SKIPPED_LISTED = 10;
    private static final int MIN_TEMPLATE_METERS = 2;

    /**
     * @param todoQuantity why the quantity needs checking, null when it was recognised
     * @param todoUnit     why the unit needs checking, null when it is the server's engineering units
     */
    public record Register(FoundVariable variable, String quantity, String unit, String todoQuantity, String todoUnit) {
    }

    /** @param path the browse path of the node the registers belong to */
    public record Meter(String id, String path, List<Register> registers) {
    }

    private final List<Meter> meters;
    private final List<FoundVariable> skipped;

    private MappingSkeleton(List<Meter> meters, List<FoundVariable> skipped) {
        this.meters = List.copyOf(meters);
        this.skipped = List.copyOf(skipped);
    }

    /** Groups the numeric scalar variables by the node they belong to, in the order given. */
    public static MappingSkeleton of(List<FoundVariable> variables) {
        Map<String, List<FoundVariable>> byParent = new LinkedHashMap<>();
        List<FoundVariable> skipped = new ArrayList<>();
        for (FoundVariable variable : variables) {
            if (variable.numeric() && variable.scalar()) {
                byParent.computeIfAbsent(variable.parentPath(), p -> new ArrayList<>()).add(variable);
            } else {
                skipped.add(variable);
            }
        }
        Set<String> ids = new HashSet<>();
        List<Meter> meters = new ArrayList<>(byParent.size());
        byParent.forEach((path, members) -> meters.add(new Meter(uniqueId(meterId(BrowsePaths.name(path)), ids), path,
                registers(members))));
        return new MappingSkeleton(meters, skipped);
    }

    public List<Meter> meters() {
        return meters;
    }

    /** Variables left out: not numeric, or arrays. */
    public List<FoundVariable> skipped() {
        return skipped;
    }

    public int registerCount() {
        return meters.stream().mapToInt(m -> m.registers().size()).sum();
    }

    /** Registers whose quantity is a guess marked TODO (a placeholder code). */
    public int quantityTodoCount() {
        return (int) meters.stream().flatMap(m -> m.registers().stream()).filter(r -> r.todoQuantity() != null).count();
    }

    /** Registers whose unit is marked TODO (the server gave no engineering units). */
    public int unitTodoCount() {
        return (int) meters.stream().flatMap(m -> m.registers().stream()).filter(r -> r.todoUnit() != null).count();
    }

    /** The mapping file, with {@code header} lines as comments on top. */
    public String toYaml(List<String> header) {
        StringBuilder yaml = new StringBuilder();
        header.forEach(line -> yaml.append("# ").append(oneLine(line, Integer.MAX_VALUE)).append('\n'));
        if (!skipped.isEmpty()) {
            yaml.append("# Left out (not numeric, or arrays): ").append(skipped.size()).append(" variable(s)");
            yaml.append(skipped.size() > MAX_SKIPPED_LISTED ? ", e.g.:\n" : ":\n");
            for (FoundVariable variable : skipped.subList(0, Math.min(MAX_SKIPPED_LISTED, skipped.size()))) {
                yaml.append("#   ").append(oneLine(variable.browsePath(), Integer.MAX_VALUE)).append(" (")
                        .append(variable.dataType() == null ? "unknown type" : oneLine(variable.dataType(), 64))
                        .append(variable.scalar() ? "" : " array").append(")\n");
            }
        }
        templateHints(yaml);
        yaml.append("meters:\n");
        for (Meter meter : meters) {
            line(yaml, "  - id: " + quote(meter.id()), meter.path());
            yaml.append("    registers:\n");
            for (Register register : meter.registers()) {
                FoundVariable variable = register.variable();
                line(yaml, "      - node: " + quote(variable.nodeId()), describe(variable));
                line(yaml, "        quantity: " + quote(register.quantity()),
                        register.todoQuantity() == null ? null : "TODO check quantity: " + register.todoQuantity());
                line(yaml, "        unit: " + quote(register.unit()),
                        register.todoUnit() == null ? null : "TODO check unit: " + register.todoUnit());
            }
        }
        return yaml.toString();
    }

    private static List<Register> registers(List<FoundVariable> variables) {
        List<QuantitySuggestion> suggestions = new ArrayList<>(variables.size());
        Map<String, Integer> owner = new LinkedHashMap<>(); // quantity → the first variable that suggests it
        for (FoundVariable variable : variables) {
            QuantitySuggestion suggestion = QuantitySuggestion.suggest(variable.name(), variable.engineeringUnits());
            if (suggestion.known()) {
                owner.putIfAbsent(suggestion.quantity(), suggestions.size());
            }
            suggestions.add(suggestion);
        }
        Set<String> used = new HashSet<>(owner.keySet());
        List<Register> registers = new ArrayList<>(variables.size());
        int placeholders = 0;
        for (int v = 0; v < variables.size(); v++) {
            QuantitySuggestion suggestion = suggestions.get(v);
            String quantity = suggestion.quantity();
            String todoQuantity = null;
            if (!suggestion.known()) {
                todoQuantity = "nothing recognised in the name" + (suggestion.unitFromServer() ? " or unit" : "");
            } else if (owner.get(quantity) != v) {
                todoQuantity = "looks like " + quantity + ", which " + variables.get(owner.get(quantity)).name() + " has";
            }
            if (todoQuantity != null) {
                do {
                    quantity = placeholder(placeholders++);
                } while (!used.add(quantity));
            }
            String todoUnit = suggestion.unitFromServer() ? null : "the server gives no engineering units";
            registers.add(new Register(variables.get(v), quantity, suggestion.unit(), todoQuantity, todoUnit));
        }
        return registers;
    }

    /** 0-0:96.1.0, 0-0:96.1.1, ... 0-0:96.1.999, 0-0:96.2.0, ... */
    static String placeholder(int n) {
        return "0-0:96." + (1 + n / 1000) + "." + (n % 1000);
    }

    /** The browse name as a meter id: whitespace and {@code /} become {@code _}, at most 128 characters. */
    static String meterId(String name) {
        String id = name.strip().replaceAll("[\\s/]+", "_");
        if (id.isEmpty()) {
            id = "meter";
        }
        return id.length() > MAX_ID_LENGTH ? id.substring(0, MAX_ID_LENGTH) : id;
    }

    private static String uniqueId(String id, Set<String> taken) {
        String unique = id;
        for (int n = 2; !taken.add(unique); n++) {
            String suffix = "-" + n;
            unique = (id.length() + suffix.length() > MAX_ID_LENGTH ? id.substring(0, MAX_ID_LENGTH - suffix.length()) : id)
                    + suffix;
        }
        return unique;
    }

    /**
     * For each folder with at least two meters whose ids are their browse names and whose registers
     * have the same names, quantities and units: the browse template that makes them, as a comment.
     */
    private void templateHints(StringBuilder yaml) {
        Map<String, List<Meter>> groups = new LinkedHashMap<>();
        for (Meter meter : meters) {
            String segment = lastSegment(meter.path());
            if (!meter.id().equals(segment) || BrowsePaths.parent(meter.path()).isEmpty()) {
                continue; // an id that is not the browse name as written, or a meter at the top
            }
            StringBuilder key = new StringBuilder(BrowsePaths.parent(meter.path()));
            for (Register register : meter.registers()) {
                key.append('\u0000').append(register.variable().name()).append('\u0000').append(register.quantity())
                        .append('\u0000').append(register.unit());
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(meter);
        }
        for (List<Meter> group : groups.values()) {
            if (group.size() < MIN_TEMPLATE_METERS) {
                continue;
            }
            Meter first = group.get(0);
            String folder = braces(BrowsePaths.parent(first.path()));
            yaml.append("#\n# The ").append(group.size()).append(" meters below ").append(oneLine(BrowsePaths.parent(first.path()), 200))
                    .append(" have the same registers. Once their quantities and units are checked, one browse\n")
                    .append("# template can replace them (it also picks up meters added later; each needs every register):\n")
                    .append("# templates:\n");
            List<Register> registers = first.registers();
            String anchor = folder + "/{meter}/" + braces(BrowsePaths.escape(registers.get(0).variable().name()));
            yaml.append("#   - browse: ").append(quote(anchor)).append('\n');
            yaml.append("#     id: \"{meter}\"\n");
            yaml.append("#     registers:\n");
            for (Register register : registers) {
                yaml.append("#       - {browse: ")
                        .append(quote(folder + "/{meter}/" + braces(BrowsePaths.escape(register.variable().name()))))
                        .append(", quantity: ").append(quote(register.quantity()))
                        .append(", unit: ").append(quote(register.unit())).append("}\n");
            }
        }
        if (!groups.isEmpty() && groups.values().stream().anyMatch(g -> g.size() >= MIN_TEMPLATE_METERS)) {
            yaml.append("#\n");
        }
    }

    private static String lastSegment(String path) {
        String parent = BrowsePaths.parent(path);
        return parent.isEmpty() ? path : path.substring(parent.length() + 1);
    }

    /** Literal braces in a template are doubled. */
    private static String braces(String text) {
        return text.replace("{", "{{").replace("}", "}}");
    }

    private static String describe(FoundVariable variable) {
        StringBuilder text = new StringBuilder(oneLine(variable.name(), 64));
        text.append(" · ").append(variable.dataType() == null ? "unknown type" : oneLine(variable.dataType(), 64));
        if (variable.engineeringUnits() != null) {
            text.append(" · ").append(oneLine(variable.engineeringUnits(), 32));
        }
        if (variable.description() != null) {
            text.append(" · ").append(oneLine(variable.description(), MAX_COMMENT_TEXT));
        }
        return text.toString();
    }

    private static void line(StringBuilder yaml, String content, String comment) {
        yaml.append(content);
        if (comment != null) {
            yaml.append(" ".repeat(Math.max(1, COMMENT_COLUMN - content.length()))).append("# ").append(oneLine(comment, 400));
        }
        yaml.append('\n');
    }

    /** Text fit for a YAML comment: no line breaks or other control characters, at most {@code max} characters. */
    static String oneLine(String text, int max) {
        StringBuilder clean = new StringBuilder(Math.min(text.length(), 256));
        text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        String result = clean.toString().strip();
        return result.length() > max ? result.substring(0, max - 1) + "…" : result;
    }

    /** A YAML double-quoted scalar. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0xFEFF) {
                        quoted.append(String.format("\\u%04x", c));
                    } else {
                        quoted.appendCodePoint(c);
                    }
                }
            }
        });
        return quoted.append('"').toString();
    }
}
