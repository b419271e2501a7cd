package io.busbar.mappings.yaml;

import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Checks a {@link LocatedDocument} against a JSON Schema shipped on the classpath and turns every
 * violation into a located {@link Problem}. Schemas may carry a {@code message} object with a
 * friendlier text per keyword, e.g. {@code "message": {"pattern": "must be an opc.tcp:// URL"}}.
 */
public final class SchemaCheck {

    private final String schemaText;
    private final JsonSchema schema;

    private SchemaCheck(String schemaText) {
        this.schemaText = schemaText;
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .errorMessageKeyword("message")
                .pathType(com.networknt.schema.PathType.JSON_POINTER)
                .build();
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaText, config);
    }

    /** A check by a schema given as text, e.g. as {@code busbar schema} printed it. */
    public static SchemaCheck of(String schemaText) {
        return new SchemaCheck(schemaText);
    }

    public static SchemaCheck fromClasspath(String resource) {
        try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(resource)) {
            Objects.requireNonNull(in, () -> "schema resource missing from the build: " + resource);
            return new SchemaCheck(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema itself, as shipped; {@code busbar schema} prints it. */
    public String schemaText() {
        return schemaText;
    }

    public List<Problem> check(LocatedDocument document) {
        return schema.validate(document.root()).stream()
                .map(violation -> toProblem(document, violation))
                .distinct()
                .sorted()
                .toList();
    }

    private static Problem toProblem(LocatedDocument document, ValidationMessage violation) {
        String pointer = pointer(violation.getInstanceLocation());
        String property = violation.getProperty();
        return switch (violation.getType()) {
            case "additionalProperties", "unevaluatedProperties" ->
                    document.problemAt(pointer + LocatedDocument.pointerSegment(property),
                            "unknown key '" + property + "'");
            case "required" -> document.problemAt(pointer, "missing required key '" + property + "'");
            default -> document.problemAt(pointer, plainMessage(violation));
        };
    }

    /** The validator's text without its leading instance location, which the Problem carries already. */
    private static String plainMessage(ValidationMessage violation) {
        String message = violation.getMessage();
        String location = violation.getInstanceLocation().toString();
        if (message.startsWith(location + ": ")) {
            return message.substring(location.length() + 2);
        }
        return message;
    }

    private static String pointer(JsonNodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.append(element instanceof Integer index ? "/" + index : LocatedDocument.pointerSegment(String.valueOf(element)));
        }
        return out.toString();
    }
}
