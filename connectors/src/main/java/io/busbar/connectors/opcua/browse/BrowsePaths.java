package io.busbar.connectors.opcua.browse;

import java.util.ArrayList;
import java.util.List;

/**
 * Browse paths as the mappings module writes them ({@link io.busbar.mappings.model.BrowsedNode}): browse
 * names from the Objects folder down, joined by {@code /}, namespace indexes left out, and a
 * {@code /} or {@code \} inside a name written {@code \/} or {@code \\}.
 */
public final class BrowsePaths {

    /** The first segment of every path below the Objects folder. */
    public static final String OBJECTS = "Objects";

    private BrowsePaths() {
    }

    /** One browse name as a path segment: {@code a/b} becomes {@code a\/b}. */
    public static String escape(String name) {
        if (name.indexOf('/') < 0 && name.indexOf('\\') < 0) {
            return name;
        }
        StringBuilder escaped = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** {@code parent/name} with the name escaped. */
    public static String child(String parentPath, String name) {
        return parentPath.isEmpty() ? escape(name) : parentPath + "/" + escape(name);
    }

    /**
     * The browse names of a path, unescaped; empty for an empty path. A trailing lone {@code \} is
     * kept as it is.
     */
    public static List<String> split(String path) {
        List<String> names = new ArrayList<>();
        if (path.isEmpty()) {
            return names;
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                name.append(path.charAt(++i));
            } else if (c == '/') {
                names.add(name.toString());
                name.setLength(0);
            } else {
                name.append(c);
            }
        }
        names.add(name.toString());
        return names;
    }

    /** The path without its last segment; empty for a one-segment path. */
    public static String parent(String path) {
        int slash = lastSeparator(path);
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The last browse name of a path, unescaped. */
    public static String name(String path) {
        List<String> names = split(path);
        return names.isEmpty() ? "" : names.get(names.size() - 1);
    }

    /** Whether {@code path} is {@code prefix} or lies below it; every path lies below the empty prefix. */
    public static boolean isAtOrBelow(String path, String prefix) {
        if (prefix.isEmpty() || path.equals(prefix)) {
            return true;
        }
        return path.startsWith(prefix + "/") && lastSeparator(path.substring(0, prefix.length() + 1)) == prefix.length();
    }

    /** Index of the last {@code /} that separates segments (not an escaped one), or -1. */
    private static int lastSeparator(String path) {
        int last = -1;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '/') {
                last = i;
            }
        }
        return last;
    }
}
