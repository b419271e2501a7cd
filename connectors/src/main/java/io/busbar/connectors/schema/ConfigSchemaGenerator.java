package io.busbar.connectors.schema;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.TypeScope;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;

/**
 * Generates the JSON Schema of a configuration file from its root record with victools
 * jsonschema-generator: Jackson's annotations give key names, required keys and descriptions,
 * {@link Schema}'s annotations the forms and rules, {@link Schema.Shape} the values of several
 * forms. Every record is closed (unknown keys are errors, they are usually typos), maps are
 * objects whose values have the map's value type, and a value type used in several places (a
 * duration, a name, the retry block) is written once under {@code $defs}, named after its class
 * in lower camel case without a {@code Config} suffix.
 */
public final class ConfigSchemaGenerator {

    /** The form of every duration in the configuration, the mapping files' grammar: 500ms, 10s, 5m, 1h, 2d. */
    static final String DURATION_PATTERN = "^" + io.busbar.mappings.validation.Durations.REGEX + "$";

    private final SchemaGenerator generator;

    public ConfigSchemaGenerator() {
        OptionPreset options = new OptionPreset(Option.SCHEMA_VERSION_INDICATOR,
                Option.NONPUBLIC_NONSTATIC_FIELDS_WITH_GETTERS, Option.NONPUBLIC_NONSTATIC_FIELDS_WITHOUT_GETTERS,
                Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES, Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                Option.ALLOF_CLEANUP_AT_THE_END);
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(new ObjectMapper(),
                SchemaVersion.DRAFT_2020_12, options)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED));
        config.forTypesInGeneral()
                .withCustomDefinitionProvider(ConfigSchemaGenerator::customDefinition)
                .withDefinitionNamingStrategy((key, context) -> definitionName(key.getType()))
                .withPropertySorter((a, b) -> 0) // the order the record declares its keys in
                .withTypeAttributeOverride(ConfigSchemaGenerator::keyRules);
        config.forFields().withCustomDefinitionProvider(FieldForms::definition)
                .withInstanceAttributeOverride(FieldForms::apply)
                .withInstanceAttributeOverride((schema, field, context) -> Defaults.apply(schema, field));
        this.generator = new SchemaGenerator(config.build());
    }

    /** The schema of a file whose content {@code root} describes. */
    public ObjectNode generate(Class<?> root) {
        ObjectNode schema = generator.generateSchema(root);
        dropClosedWithoutKeys(schema);
        return schema;
    }

    /**
     * victools closes every value it has no record for (a choice of texts, a value of any type)
     * with {@code additionalProperties: false}; without {@code properties} beside it that would
     * refuse any object, so it goes: such values are no objects, or their own shape says so.
     */
    private static void dropClosedWithoutKeys(JsonNode node) {
        if (node instanceof ObjectNode object && object.path("additionalProperties").isBoolean()
                && !object.has("properties")) {
            object.remove("additionalProperties");
        }
        node.forEach(ConfigSchemaGenerator::dropClosedWithoutKeys);
    }

    private static CustomDefinition customDefinition(ResolvedType type, SchemaGenerationContext context) {
        Class<?> erased = type.getErasedType();
        if (erased == Duration.class) {
            ObjectNode duration = JsonNodeFactory.instance.objectNode().put("type", "string")
                    .put("pattern", DURATION_PATTERN);
            duration.putObject("message").put("pattern", "must be a duration such as 500ms, 10s, 5m, 1h or 2d");
            return standard(duration);
        }
        if (erased.isAnnotationPresent(Schema.Scalar.class)) {
            ObjectNode scalar = JsonNodeFactory.instance.objectNode();
            Schema.Types types = erased.getAnnotation(Schema.Types.class);
            putTypes(scalar, types == null ? new String[] {"string"} : types.value());
            Schema.Pattern pattern = erased.getAnnotation(Schema.Pattern.class);
            if (pattern != null) {
                scalar.put("pattern", pattern.value());
                message(scalar, "pattern", pattern.message());
            }
            return standard(scalar);
        }
        Schema.Shape shape = erased.getAnnotation(Schema.Shape.class);
        if (shape != null) {
            return new CustomDefinition(instantiate(shape.value()).schema(context),
                    CustomDefinition.DefinitionType.STANDARD, CustomDefinition.AttributeInclusion.NO);
        }
        return null;
    }

    private static CustomDefinition standard(ObjectNode schema) {
        return new CustomDefinition(schema, CustomDefinition.DefinitionType.STANDARD,
                CustomDefinition.AttributeInclusion.NO);
    }

    /** The rules between the keys of a record, from its class annotations. */
    private static void keyRules(ObjectNode schema, TypeScope scope, SchemaGenerationContext context) {
        Class<?> type = scope.getType().getErasedType();
        Schema.Requires[] requires = type.getAnnotationsByType(Schema.Requires.class);
        if (requires.length > 0) {
            ObjectNode dependent = schema.putObject("dependentRequired");
            for (Schema.Requires rule : requires) {
                strings(dependent.putArray(rule.key()), rule.needs());
            }
        }
        Schema.ExactlyOneOf exactlyOne = type.getAnnotation(Schema.ExactlyOneOf.class);
        if (exactlyOne != null) {
            ArrayNode oneOf = schema.putArray("oneOf");
            for (String key : exactlyOne.value()) {
                oneOf.addObject().putArray("required").add(key);
            }
            message(schema, "oneOf", exactlyOne.message());
        }
        Schema.RequiredWhen when = type.getAnnotation(Schema.RequiredWhen.class);
        if (when != null) {
            ObjectNode branch = schema.putArray("allOf").addObject();
            ObjectNode condition = branch.putObject("if");
            condition.putObject("properties").putObject(when.key()).put("const", when.equals());
            condition.putArray("required").add(when.key());
            strings(branch.putObject("then").putArray("required"), when.then());
            if (when.otherwise().length > 0) {
                strings(branch.putObject("else").putArray("required"), when.otherwise());
            }
        }
    }

    static void putTypes(ObjectNode schema, String... types) {
        if (types.length == 1) {
            schema.put("type", types[0]);
        } else {
            strings(schema.putArray("type"), types);
        }
    }

    /** Adds the problem text validation reports when {@code keyword} fails. */
    static void message(ObjectNode schema, String keyword, String message) {
        if (!message.isEmpty()) {
            JsonNode messages = schema.get("message");
            (messages instanceof ObjectNode existing ? existing : schema.putObject("message")).put(keyword, message);
        }
    }

    static void strings(ArrayNode array, String... values) {
        for (String value : values) {
            array.add(value);
        }
    }

    /** SourcePairConfig is written as sourcePair, Map<String, Attribute> as mapOfStringAttribute. */
    private static String definitionName(ResolvedType type) {
        StringBuilder name = new StringBuilder(lowerCamel(type.getErasedType()));
        if (!type.getTypeParameters().isEmpty()) {
            name.append("Of");
            type.getTypeParameters().forEach(parameter -> name.append(parameter.getErasedType().getSimpleName()));
        }
        return name.toString();
    }

    /** SourcePairConfig is written as sourcePair, Duration as duration. */
    static String lowerCamel(Class<?> type) {
        String name = type.getSimpleName().replaceFirst("Config$", "");
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static CustomShape instantiate(Class<? extends CustomShape> shape) {
        try {
            return shape.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("schema shape " + shape.getName() + " needs a public no-argument"
                    + " constructor", e instanceof InvocationTargetException ite ? ite.getCause() : e);
        }
    }
}
