package io.busbar.connectors.target.kafka;

import io.busbar.mappings.model.Reading;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topic of a reading's record: a fixed name, or a template with {@code {pair}}, {@code {meter}}
 * and {@code {quantity}}, e.g. {@code busbar.{pair}.{quantity}}. Kafka topic names allow only
 * letters, digits, {@code .}, {@code _} and {@code -}; any other character a value brings (the
 * {@code :} of an OBIS code such as {@code 1-0:1.8.0}) becomes {@code _}.
 */
final class KafkaTopic {

    static final Set<String> PLACEHOLDERS = Set.of("pair", "meter", "quantity");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_LENGTH = 249;

    private final String template;
    private final boolean fixed;

    KafkaTopic(String template) {
        this.template = template;
        this.fixed = !template.contains("{");
    }

    String of(Reading reading) {
        if (fixed) {
            return template;
        }
        Matcher placeholders = PLACEHOLDER.matcher(template);
        StringBuilder topic = new StringBuilder(template.length() + 32);
        while (placeholders.find()) {
            String value = switch (placeholders.group(1)) {
                case "pair" -> reading.pair();
                case "meter" -> reading.meter();
                default -> reading.quantity();
            };
            placeholders.appendReplacement(topic, Matcher.quoteReplacement(legal(value)));
        }
        placeholders.appendTail(topic);
        return topic.length() > MAX_LENGTH ? topic.substring(0, MAX_LENGTH) : topic.toString();
    }

    private static String legal(String value) {
        return value == null ? "" : value.replaceAll("[^a-zA-Z0-9._-]", "_");
    }

    /** What is wrong with a topic or template, in words for a configuration problem; empty when fine. */
    static Optional<String> problem(String template) {
        Matcher placeholders = PLACEHOLDER.matcher(template);
        while (placeholders.find()) {
            if (!PLACEHOLDERS.contains(placeholders.group(1))) {
                return Optional.of("has an unknown placeholder {" + placeholders.group(1)
                        + "}; known: {pair}, {meter}, {quantity}");
            }
        }
        String literal = PLACEHOLDER.matcher(template).replaceAll("x");
        if (!LEGAL.matcher(literal).matches() || literal.length() > MAX_LENGTH) {
            return Optional.of("must be a Kafka topic name (letters, digits, . _ -, at most 249), optionally with"
                    + " {pair}, {meter} or {quantity}");
        }
        return Optional.empty();
    }
}
