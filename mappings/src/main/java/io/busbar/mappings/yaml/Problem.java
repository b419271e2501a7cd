package io.busbar.mappings.yaml;

import java.util.Comparator;

/**
 * One thing wrong with a configuration or mapping file, located for a human:
 * {@code busbar.yaml:12:5: sources.plant.primary.endpoint: must be an opc.tcp:// URL}.
 *
 * @param file    the file as the user named it
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param path    dotted path of the offending key, empty for the whole document
 * @param message what was expected, in plain words
 */
public record Problem(String file, int line, int column, String path, String message) implements Comparable<Problem> {

    private static final Comparator<Problem> ORDER = Comparator.comparing(Problem::file)
            .thenComparingInt(Problem::line)
            .thenComparingInt(Problem::column)
            .thenComparing(Problem::path)
            .thenComparing(Problem::message);

    /** The one-line form printed by {@code busbar validate}: {@code file:line:column: path: message}. */
    @Override
    public String toString() {
        String where = file + ':' + line + ':' + column + ": ";
        return path.isEmpty() ? where + message : where + path + ": " + message;
    }

    @Override
    public int compareTo(Problem other) {
        return ORDER.compare(this, other);
    }
}
