package io.busbar.connectors.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.victools.jsonschema.generator.FieldScope;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes a key's {@code default} from the constant the code falls back to, so the schema and the
 * binding cannot disagree: the key {@code maxWindow} of a record takes the value of a
 * {@code static final DEFAULT_MAX_WINDOW} of the record itself or of a class its
 * {@link Schema.DefaultsIn} names (the settings or policy the value ends up in).
 */
final class Defaults {

    private Defaults() {
    }

    static void apply(ObjectNode schema, FieldScope field) {
        if (field.isFakeContainerItemScope() || Modifier.isStatic(field.getRawMember().getModifiers())) {
            return;
        }
        constant(field.getDeclaringType().getErasedType(), field.getDeclaredName())
                .ifPresent(value -> put(schema, field.getDeclaredName(), value));
    }

    /** The value of {@code DEFAULT_<KEY>} for the key {@code name} of {@code record}, where one is declared. */
    static Optional<Object> constant(Class<?> record, String name) {
        String constant = "DEFAULT_" + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        for (Class<?> holder : holders(record)) {
            try {
                Field field = holder.getField(constant);
                if (Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers())) {
                    return Optional.of(field.get(null));
                }
            } catch (NoSuchFieldException e) {
                // not declared here: the next holder, or no default
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(holder.getName() + "." + constant + " must be public", e);
            }
        }
        return Optional.empty();
    }

    private static List<Class<?>> holders(Class<?> record) {
        List<Class<?>> holders = new ArrayList<>();
        holders.add(record);
        Schema.DefaultsIn in = record.getAnnotation(Schema.DefaultsIn.class);
        if (in != null) {
            holders.addAll(List.of(in.value()));
        }
        return holders;
    }

    /**
     * Values a file writes as they are; an enum constant as its lower-case kebab-case name, which
     * must be one of the key's choices. A default of another form (a size in bytes, a zone, a list)
     * is left to the description.
     */
    private static void put(ObjectNode schema, String name, Object value) {
        JsonNode written = written(value);
        if (written == null) {
            return;
        }
        JsonNode choices = schema.path("enum");
        if (choices.isArray() && !contains(choices, written)) {
            throw new IllegalStateException("the default of " + name + ", " + written + ", is none of its choices "
                    + choices);
        }
        schema.set("default", written);
    }

    private static JsonNode written(Object value) {
        if (value instanceof Duration duration) {
            return TextNode.valueOf(text(duration));
        } else if (value instanceof String || value instanceof Character) {
            return TextNode.valueOf(value.toString());
        } else if (value instanceof Charset charset) {
            return TextNode.valueOf(charset.name());
        } else if (value instanceof Enum<?> constant) {
            return TextNode.valueOf(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        } else if (value instanceof Boolean flag) {
            return BooleanNode.valueOf(flag);
        } else if (value instanceof Integer number) {
            return IntNode.valueOf(number);
        }
        return null;
    }

    private static boolean contains(JsonNode choices, JsonNode value) {
        for (JsonNode choice : choices) {
            if (choice.equals(value) || choice.asText().equals(value.asText())) {
                return true;
            }
        }
        return false;
    }

    /** In the configuration's form, the largest unit that divides it: 500ms, 10s, 5m, 1h, 2d. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis != 0 && millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }
}
