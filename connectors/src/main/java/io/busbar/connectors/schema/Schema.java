package io.busbar.connectors.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotations a config record carries so that {@link ConfigSchemaGenerator} writes its JSON
 * Schema: the forms of values beyond their Java type, and the rules between keys. Names, required
 * keys and descriptions come from Jackson's {@code @JsonProperty}, {@code @JsonPropertyDescription}
 * and {@code @JsonClassDescription}; a record is closed ({@code additionalProperties: false}).
 * A {@code message} becomes the problem text validation reports for that keyword.
 */
public final class Schema {

    private Schema() {
    }

    /** A text value must match {@code value}. On a type: the form of a {@link Scalar} value type. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.TYPE})
    public @interface Pattern {
        String value();

        String message() default "";
    }

    /** The value must be one of these texts (or, with {@code numbers}, these integers). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Choice {
        String[] value() default {};

        int[] numbers() default {};

        String message();
    }

    /** Length of a text, items of a list, entries of a map. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Size {
        int min() default 0;

        int max() default Integer.MAX_VALUE;
    }

    /** Bounds of a number; {@code exclusiveMin} for a value that must be above {@code min}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Range {
        double min() default Double.NaN;

        double max() default Double.NaN;

        boolean exclusiveMin() default false;
    }

    /** The items of a list are all different. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Unique {
    }

    /** What each item of a list is (where the field's description says what the list is for). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Items {
        String description() default "";

        int minLength() default 0;
    }

    /** The keys of a map must match {@code value}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface KeyPattern {
        String value();
    }

    /** The JSON types a value may have, where its Java type says less (an {@code Object} field). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.TYPE})
    public @interface Types {
        String[] value();
    }

    /** Any value is accepted here: another part of the schema checks it (the {@code type} of a variant). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface AnyValue {
    }

    /**
     * A value type written as one scalar in the file (a name, host:port): its schema is its
     * {@link Types} (default string) and {@link Pattern}, kept once under {@code $defs}.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Scalar {
    }

    /**
     * Further classes holding the {@code DEFAULT_<KEY>} constants of this record's keys (the
     * settings or policy a value ends up in), beside the record's own: each becomes the key's
     * {@code default} in the schema, and the binding falls back to the same constant.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface DefaultsIn {
        Class<?>[] value();
    }

    /** When {@code key} is present, {@code needs} must be too (JSON Schema dependentRequired). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Repeatable(RequiresAll.class)
    public @interface Requires {
        String key();

        String[] needs();
    }

    /** The holder of repeated {@link Requires}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface RequiresAll {
        Requires[] value();
    }

    /** When {@code key} is {@code equals}, the keys {@code then} are required; otherwise {@code otherwise}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface RequiredWhen {
        String key();

        String equals();

        String[] then();

        String[] otherwise() default {};
    }

    /** Exactly one of these keys must be present. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface ExactlyOneOf {
        String[] value();

        String message();
    }

    /**
     * A value of several forms (a text or an object, a choice of variants) that the annotations
     * cannot say: {@code value} writes its schema in code.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Shape {
        Class<? extends CustomShape> value();
    }
}
