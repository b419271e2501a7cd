package io.busbar.bootstrap.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Binds a section of {@code busbar.yaml} that passed the schema to its config record
 * ({@code config/schema}, the records the schema is generated from), so the compile step reads
 * typed values instead of walking the tree. Durations are the configuration's form (10s, 5m).
 */
public final class ConfigBinding {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("busbar-config").addDeserializer(Duration.class, new DurationForm()));

    private ConfigBinding() {
    }

    /**
     * @param section the section, or a missing node for a section the file leaves out (every key
     *                then takes its default)
     * @throws IllegalStateException when the section does not bind: the schema and the record disagree
     */
    public static <T> T bind(JsonNode section, Class<T> record) {
        try {
            return MAPPER.treeToValue(section.isMissingNode() ? MAPPER.createObjectNode() : section, record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a " + record.getSimpleName() + " that passed the schema does not bind:"
                    + " the schema and its record disagree", e);
        }
    }

    /**
     * For a check that runs on any shape (so one run reports everything): the section bound, or
     * empty when it does not bind because the schema found it wrong.
     */
    public static <T> Optional<T> bindIfValid(JsonNode section, Class<T> record) {
        try {
            return Optional.of(bind(section, record));
        } catch (IllegalStateException reportedBySchema) {
            return Optional.empty();
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}. */
    private static final class DurationForm extends StdScalarDeserializer<Duration> {
        DurationForm() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return Durations.parse(parser.getValueAsString());
        }
    }
}
