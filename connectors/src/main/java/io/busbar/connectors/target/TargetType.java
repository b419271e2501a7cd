package io.busbar.connectors.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One kind of target, named by the {@code type} of an entry under {@code targets:}. A type owns,
 * in its own package, everything particular to it: the JSON Schema of its entries
 * ({@code schema.json} beside its class), the checks of an entry that the schema cannot express, the binding of a checked entry to its settings record (whose constants hold the
 * defaults), and the creation of the running {@link Target}. {@link Targets} lists the types.
 *
 * <p>Lifecycle: when a configuration is loaded, {@link #check} runs on every entry of this type,
 * even when the schema found problems (so one run reports everything); only when the whole file is
 * free of problems does {@link #settings} bind each entry; {@link #create} runs when the connector
 * starts.
 *
 * @param <S> the settings record of this type
 */
public abstract class TargetType<S extends TargetSettings> {

    private final String type;
    private final Class<S> settingsClass;

    protected TargetType(String type, Class<S> settingsClass) {
        this.type = type;
        this.settingsClass = settingsClass;
    }

    /** The {@code type} value in the configuration, e.g. {@code file}. */
    public final String type() {
        return type;
    }

    /** The settings record this type binds to and creates targets from. */
    public final Class<S> settingsClass() {
        return settingsClass;
    }

    /**
     * The JSON Schema of this type's entries (its keys, their forms, descriptions and messages),
     * from {@code schema.json} in the type's package. It lists {@code "type": true} among its
     * properties and may refer to the configuration schema's shared {@code $defs} (duration, tls,
     * retry, parallelism); its {@code description} says in a few words what the type delivers to.
     */
    public final JsonNode schema() {
        try (InputStream in = getClass().getResourceAsStream("schema.json")) {
            Objects.requireNonNull(in, () -> "schema.json missing beside " + getClass().getName());
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reports, through {@link TargetEntry#problem}, what is wrong with an entry beyond its schema:
     * unset secrets, missing files, templates, patterns, keys that contradict each other, outputs
     * another target writes already. Must be safe on any shape of entry.
     */
    public abstract void check(TargetEntry entry);

    /** The settings of an entry that passed the schema and {@link #check}. */
    public abstract S settings(TargetEntry entry);

    /** A target for these settings; not started, and without side effects until it is. */
    public abstract Target create(S settings);
}
