package io.busbar.connectors.target.mqtt;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.template.PlaceholderSyntax;
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
    /** Whatever stands between a '{' and the next '}' is a placeholder's name, known or not. */
    private static final PlaceholderSyntax SYNTAX = PlaceholderSyntax.of("\\{([^}]*)}", false);

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
        for (PlaceholderSyntax.Piece piece : SYNTAX.scan(template)) {
            if (piece instanceof PlaceholderSyntax.Placeholder placeholder) {
                parts.add(switch (placeholder.name()) {
                    case "pair" -> Reading::pair;
                    case "meter" -> Reading::meter;
                    case "quantity" -> Reading::quantity;
                    default -> r -> r.unit() == null ? "" : r.unit();
                });
            } else {
                String literal = piece.text();
                parts.add(r -> literal);
            }
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
        for (PlaceholderSyntax.Piece piece : SYNTAX.scan(template)) {
            if (piece instanceof PlaceholderSyntax.StrayBrace stray) {
                return Optional.of(stray.brace() == '}' ? "has a '}' without '{'" : "has a '{' without '}'");
            }
            if (piece instanceof PlaceholderSyntax.Placeholder placeholder && !PLACEHOLDERS.contains(placeholder.name())) {
                return Optional.of("has an unknown placeholder {" + placeholder.name() + "} (known: {pair}, {meter}, {quantity}, {unit})");
            }
        }
        return Optional.empty();
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
