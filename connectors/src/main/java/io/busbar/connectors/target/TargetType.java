package io.busbar.connectors.target;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.connectors.schema.ConfigSchemaGenerator;

/**
 * One kind of target, named by the {@code type} of an entry under {@code targets:}. A type owns,
 * in its own package, everything particular to it: the keys of its entries (a config record whose
 * annotations generate their JSON Schema), the checks of an entry that the schema cannot express, the binding of a checked entry to its settings record (whose constants hold the
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
    private final Class<? extends Record> configClass;

    /**
     * @param configClass the record of an entry's keys: {@link #schema()} is generated from it. It
     *                    lists {@code type} (as {@code @Schema.AnyValue}), and its
     *                    {@code @JsonClassDescription} says in a few words what the type delivers to
     */
    protected TargetType(String type, Class<S> settingsClass, Class<? extends Record> configClass) {
        this.type = type;
        this.settingsClass = settingsClass;
        this.configClass = configClass;
    }

    /** The {@code type} value in the configuration, e.g. {@code file}. */
    public final String type() {
        return type;
    }

    /** The settings record this type binds to and creates targets from. */
    public final Class<S> settingsClass() {
        return settingsClass;
    }

    /** The record of an entry's keys, from which the configuration schema's part for this type is generated. */
    public final Class<? extends Record> configClass() {
        return configClass;
    }

    /** The JSON Schema of this type's entries on its own, as generated from {@link #configClass()}. */
    public final ObjectNode schema() {
        return new ConfigSchemaGenerator().generate(configClass);
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
