package io.busbar.mappings;

import io.busbar.mappings.template.PlaceholderSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The placeholder syntax of templates: {@code {name}} stands for the value of a template variable,
 * {@code {{} and {@code }}} for a literal brace. Any other brace is a mistake.
 */
final class Placeholders {

    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");
    /** A name between single braces; doubled braces are literal ones. */
    private static final PlaceholderSyntax SYNTAX = PlaceholderSyntax.of("\\{(" + NAME.pattern() + ")}", true);

    private Placeholders() {
    }

    /** One piece of a template string: literal text, or a placeholder name. */
    record Piece(String text, boolean placeholder) {
    }

    /** @throws IllegalArgumentException naming the first mistake, e.g. an unmatched brace */
    static List<Piece> parse(String text) {
        List<Piece> pieces = new ArrayList<>();
        for (PlaceholderSyntax.Piece piece : SYNTAX.scan(text)) {
            if (piece instanceof PlaceholderSyntax.Placeholder placeholder) {
                pieces.add(new Piece(placeholder.name(), true));
            } else if (piece instanceof PlaceholderSyntax.StrayBrace stray && stray.brace() == '{') {
                throw new IllegalArgumentException("'{' at position " + stray.position()
                        + " does not start a placeholder such as {meter} (write '{{' for a literal brace)");
            } else if (piece instanceof PlaceholderSyntax.StrayBrace stray) {
                throw new IllegalArgumentException("'}' at position " + stray.position() + " closes no placeholder (write '}}' for a literal brace)");
            } else {
                pieces.add(new Piece(piece.text(), false));
            }
        }
        if (pieces.isEmpty()) {
            pieces.add(new Piece("", false));
        }
        return pieces;
    }

    /** The placeholder names a template string uses, in order of first use. */
    static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        for (Piece piece : parse(text)) {
            if (piece.placeholder() && !names.contains(piece.text())) {
                names.add(piece.text());
            }
        }
        return names;
    }

    /**
     * The template string with each placeholder replaced by its value. With null bindings (a meter
     * written out, not a template) the text is taken literally, braces and all.
     */
    static String substitute(String text, Map<String, String> bindings) {
        if (text == null || bindings == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (Piece piece : parse(text)) {
            if (piece.placeholder()) {
                String value = bindings.get(piece.text());
                if (value == null) {
                    throw new IllegalArgumentException("unknown placeholder {" + piece.text() + "}");
                }
                out.append(value);
            } else {
                out.append(piece.text());
            }
        }
        return out.toString();
    }

    /** {@code meter=0001, building=A}: how messages name one expansion of a template. */
    static String describe(Map<String, String> bindings) {
        StringBuilder out = new StringBuilder();
        bindings.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(name).append('=').append(value);
        });
        return out.toString();
    }
}
