package io.busbar.mappings.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one scanner of {@code {placeholder}} templates: mapping templates, Kafka and MQTT topics, CSV
 * file names. It splits a template into literal text, placeholders and stray braces, left to right;
 * each user gives the shape of its placeholders and decides what a stray brace or an unknown name
 * means, so its own placeholder set and error messages stay its own.
 *
 * <p>A {@code '{'} starts a placeholder when the placeholder pattern matches there (group 1 the
 * name, an optional group 2 the argument, e.g. the pattern of {@code {time:yyyyMMdd}}); otherwise it
 * is a stray brace, as is any {@code '}'} outside a placeholder. With doubled braces,
 * {@code {{} and {@code }}} stand for a literal brace.
 */
public final class PlaceholderSyntax {

    /** One piece of a template, in the order of the text. */
    public sealed interface Piece permits Literal, Placeholder, StrayBrace {

        /** The piece as it stands in the template; a placeholder's {@code {...}} text is not kept, so none. */
        String text();
    }

    /** Text taken as it is (doubled braces already made single). */
    public record Literal(String text) implements Piece {
    }

    /**
     * @param name     group 1 of the placeholder pattern
     * @param argument group 2 of the pattern, null when the pattern has none or it did not match
     * @param position 1-based position of the opening brace
     */
    public record Placeholder(String name, String argument, int position) implements Piece {
        @Override
        public String text() {
            return "";
        }
    }

    /** A {@code '{'} that starts no placeholder or a {@code '}'} that closes none; {@code position} is 1-based. */
    public record StrayBrace(char brace, int position) implements Piece {
        @Override
        public String text() {
            return String.valueOf(brace);
        }
    }

    private final Pattern placeholder;
    private final boolean doubledBraces;

    private PlaceholderSyntax(Pattern placeholder, boolean doubledBraces) {
        this.placeholder = placeholder;
        this.doubledBraces = doubledBraces;
    }

    /**
     * @param placeholder   matched at a {@code '{'}: the whole placeholder, braces included, with the
     *                      name as group 1 and an optional argument as group 2, e.g. {@code \{([a-z]+)}}
     * @param doubledBraces whether {@code {{} and {@code }}} are literal braces
     */
    public static PlaceholderSyntax of(String placeholder, boolean doubledBraces) {
        Pattern pattern = Pattern.compile(Objects.requireNonNull(placeholder, "placeholder"));
        if (pattern.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("placeholder pattern " + placeholder + " has no group for the name");
        }
        return new PlaceholderSyntax(pattern, doubledBraces);
    }

    /** The pieces of {@code text}, literal text merged; an empty text has none. */
    public List<Piece> scan(String text) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        Matcher matcher = placeholder.matcher(text);
        boolean hasArgument = matcher.groupCount() >= 2;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean doubled = doubledBraces && (c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c;
            if (doubled) {
                literal.append(c);
                i += 2;
            } else if (c == '{' && matcher.region(i, text.length()).lookingAt()) {
                flush(literal, pieces);
                pieces.add(new Placeholder(matcher.group(1), hasArgument ? matcher.group(2) : null, i + 1));
                i = matcher.end();
            } else if (c == '{' || c == '}') {
                flush(literal, pieces);
                pieces.add(new StrayBrace(c, i + 1));
                i++;
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, pieces);
        return pieces;
    }

    private static void flush(StringBuilder literal, List<Piece> pieces) {
        if (literal.length() > 0) {
            pieces.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }
}
