package io.busbar.connectors.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One entry under {@code targets:} as its {@link TargetType} sees it: the YAML as written, plus
 * what the configuration file around it provides: problems located at file:line:column, secrets
 * from the environment, paths relative to the file, the configuration's duration and size forms.
 *
 * <p>Every {@code pointer} is a JSON pointer below the entry ({@code /topic},
 * {@code /auth/password}, {@code ""} for the entry itself); build segments of free-form keys with
 * {@link io.busbar.mappings.yaml.LocatedDocument#pointerSegment}.
 */
public interface TargetEntry {

    /** The target's name: its key under {@code targets:}. */
    String name();

    /** The entry as written; any shape while {@link TargetType#check checking}. */
    JsonNode node();

    /**
     * The entry bound to its type's config record, each key left out at the default its record
     * names; only for an entry that passed the schema and {@link TargetType#check}.
     */
    <C extends Record> C config(Class<C> record);

    /** Reports a problem of the value at {@code pointer}. */
    void problem(String pointer, String message);

    /**
     * The secret at {@code pointer}: {@code ${NAME}} is read from the environment variable NAME
     * (an unset one is reported as a problem), anything else is the secret itself. Empty when the
     * value is absent or not text, or its variable is unset.
     */
    Optional<String> secret(String pointer);

    /** A file or directory named in the configuration, resolved against the file's directory. */
    Path path(String relative);

    /** The duration (500ms, 10s, 5m, 1h, 2d) at {@code pointer}, or the fallback when there is none. */
    Duration duration(String pointer, Duration fallback);

    /** The size (512MB, 10GB) at {@code pointer}, in bytes, or the fallback when there is none. */
    long size(String pointer, long fallback);

    /**
     * Claims an output (a file, a directory and its file names) for this target. When an earlier
     * target claimed the same output, {@code problem} (given that target's name) is reported at
     * {@code pointer}: two targets writing the same files would corrupt each other's.
     */
    void claim(String output, String pointer, UnaryOperator<String> problem);

    /** The scalar at {@code pointer} as text; empty when absent or null. */
    default Optional<String> text(String pointer) {
        JsonNode value = node().at(pointer);
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** The scalar at {@code pointer} as text, or the default when there is none. */
    default String text(String pointer, String fallback) {
        return text(pointer).orElse(fallback);
    }
}
