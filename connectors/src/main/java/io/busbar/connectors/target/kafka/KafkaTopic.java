package io.busbar.connectors.target.kafka;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.template.PlaceholderSyntax;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The topic of a reading's record: a fixed name, or a template with {@code {pair}}, {@code {meter}}
 * and {@code {quantity}}, e.g. {@code busbar.{pair}.{quantity}}. Kafka topic names allow only
 * letters, digits, {@code .}, {@code _} and {@code -}; any other character a value brings (the
 * {@code :} of an OBIS code such as {@code 1-0:1.8.0}) becomes {@code _}.
 */
final class KafkaTopic {

    static final Set<String> PLACEHOLDERS = Set.of("pair", "meter", "quantity");
    /** Lower-case names only; any other brace stays in the name, where Kafka does not allow it. */
    private static final PlaceholderSyntax SYNTAX = PlaceholderSyntax.of("\\{([a-z]+)}", false);
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_LENGTH = 249;

    private final String template;
    private final boolean fixed;
    private final List<PlaceholderSyntax.Piece> pieces;

    KafkaTopic(String template) {
        this.template = template;
        this.fixed = !template.contains("{");
        this.pieces = SYNTAX.scan(template);
    }

    String of(Reading reading) {
        if (fixed) {
            return template;
        }
        StringBuilder topic = new StringBuilder(template.length() + 32);
        for (PlaceholderSyntax.Piece piece : pieces) {
            if (piece instanceof PlaceholderSyntax.Placeholder placeholder) {
                String value = switch (placeholder.name()) {
                    case "pair" -> reading.pair();
                    case "meter" -> reading.meter();
                    default -> reading.quantity();
                };
                appendLegal(topic, value);
            } else {
                topic.append(piece.text());
            }
        }
        return topic.length() > MAX_LENGTH ? topic.substring(0, MAX_LENGTH) : topic.toString();
    }

    /**
     * Appends the value with each character Kafka does not allow as {@code _}, one per code point
     * (an emoji is one), as {@code replaceAll("[^a-zA-Z0-9._-]", "_")} gives. Runs per reading of a
     * template topic, and an OBIS code always brings a {@code :}: replaceAll compiled its pattern
     * and matched per call, ~1 µs per reading.
     */
    private static void appendLegal(StringBuilder topic, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            topic.append(legal(c) ? (char) c : '_');
            i += Character.charCount(c);
        }
    }

    private static boolean legal(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
    }

    /** What is wrong with a topic or template, in words for a configuration problem; empty when fine. */
    static Optional<String> problem(String template) {
        List<PlaceholderSyntax.Piece> pieces = SYNTAX.scan(template);
        StringBuilder literal = new StringBuilder(template.length());
        for (PlaceholderSyntax.Piece piece : pieces) {
            if (piece instanceof PlaceholderSyntax.Placeholder placeholder) {
                if (!PLACEHOLDERS.contains(placeholder.name())) {
                    return Optional.of("has an unknown placeholder {" + placeholder.name()
                            + "}; known: {pair}, {meter}, {quantity}");
                }
                literal.append('x');
            } else {
                literal.append(piece.text());
            }
        }
        if (!LEGAL.matcher(literal).matches() || literal.length() > MAX_LENGTH) {
            return Optional.of("must be a Kafka topic name (letters, digits, . _ -, at most 249), optionally with"
                    + " {pair}, {meter} or {quantity}");
        }
        return Optional.empty();
    }
}
