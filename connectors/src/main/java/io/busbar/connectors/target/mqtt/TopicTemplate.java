package io.busbar.connectors.target.mqtt;

import io.busbar.mappings.model.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A topic template such as {@code busbar/{pair}/{meter}/{quantity}}. Placeholders:
 * {@code {pair}}, {@code {meter}}, {@code {quantity}}, {@code {unit}}. A quantity code like
 * {@code 1-0:1.8.0} is a legal topic level as it is ({@code :} and {@code .} mean nothing to MQTT);
 * the wildcards {@code +} and {@code #} are not allowed in a published topic, neither in the
 * template nor in a value put into it.
 */
public final class TopicTemplate {

    public static final Set<String> PLACEHOLDERS = Set.of("pair", "meter", "quantity", "unit");

    private final List<Function<Reading, String>> parts;

    private TopicTemplate(List<Function<Reading, String>> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException with {@link #problem}'s text when the template is not valid */
    public static TopicTemplate parse(String template) {
        problem(template).ifPresent(p -> {
            throw new IllegalArgumentException("topic template '" + template + "' " + p);
        });
        List<Function<Reading, String>> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                String literal = template.substring(i);
                parts.add(r -> literal);
                break;
            }
            if (open > i) {
                String literal = template.substring(i, open);
                parts.add(r -> literal);
            }
            int close = template.indexOf('}', open);
            String placeholder = template.substring(open + 1, close);
            parts.add(switch (placeholder) {
                case "pair" -> Reading::pair;
                case "meter" -> Reading::meter;
                case "quantity" -> Reading::quantity;
                default -> r -> r.unit() == null ? "" : r.unit();
            });
            i = close + 1;
        }
        return new TopicTemplate(List.copyOf(parts));
    }

    /** What is wrong with a template, in words for a configuration problem; empty when it is fine. */
    public static Optional<String> problem(String template) {
        if (template == null || template.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (template.indexOf('+') >= 0 || template.indexOf('#') >= 0) {
            return Optional.of("must not contain the MQTT wildcards + or #");
        }
        int i = 0;
        while (true) {
            int open = template.indexOf('{', i);
            int strayClose = template.indexOf('}', i);
            if (open < 0) {
                return strayClose < 0 ? Optional.empty() : Optional.of("has a '}' without '{'");
            }
            if (strayClose >= 0 && strayClose < open) {
                return Optional.of("has a '}' without '{'");
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                return Optional.of("has a '{' without '}'");
            }
            String placeholder = template.substring(open + 1, close);
            if (!PLACEHOLDERS.contains(placeholder)) {
                return Optional.of("has an unknown placeholder {" + placeholder + "} (known: {pair}, {meter}, {quantity}, {unit})");
            }
            i = close + 1;
        }
    }

    /**
     * The topic of a reading.
     *
     * @throws IllegalArgumentException when a value put into the template makes it an illegal topic
     */
    public String topicOf(Reading reading) {
        StringBuilder topic = new StringBuilder(64);
        for (Function<Reading, String> part : parts) {
            topic.append(part.apply(reading));
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                throw new IllegalArgumentException("topic '" + topic + "' contains '" + (c == 0 ? "NUL" : c)
                        + "', which MQTT does not allow in a published topic");
            }
        }
        return topic.toString();
    }
}
