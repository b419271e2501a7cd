package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import io.busbar.connectors.schema.CustomShape;
import io.busbar.connectors.schema.Schema;
import java.util.ArrayList;
import java.util.List;

/** {@code buffer:}. */
@JsonClassDescription("The durable store-and-forward buffer (embedded ActiveMQ Artemis).")
public record BufferConfig(
        @JsonProperty("data-dir") @Schema.Size(min = 1)
        @JsonPropertyDescription("Journal, paging and large-message directories, relative to this file. Default:"
                + " data") String dataDir,
        @JsonProperty("max-disk")
        @Schema.Pattern(value = "^[0-9]+(KB|MB|GB|TB)$", message = "must be a size such as 512MB or 10GB")
        @JsonPropertyDescription("The most disk the buffer may use (journal, paging, large messages). When reached,"
                + " ingest pauses (back-pressure) and the paused time is read back from history later; nothing is"
                + " dropped. At least 64MB; default: no limit of its own (the broker still stops at 90% of the disk).")
        String maxDisk,
        @JsonPropertyDescription("Use an external ActiveMQ Artemis broker instead of the embedded one: one URL"
                + " (tcp://host:61616, with Artemis URL parameters) or a list of the members of an HA pair or cluster."
                + " Busbar creates the queues it needs. The broker's own settings then govern durability and limits;"
                + " buffer.max-disk does not apply.") BrokerUrls url) {

    /** Where the buffer lives when the file has no {@code buffer.data-dir}, relative to the file. */
    public static final String DEFAULT_DATA_DIR = "data";

    /** The data directory as written, or {@link #DEFAULT_DATA_DIR}. */
    public String dataDirOrDefault() {
        return dataDir == null ? DEFAULT_DATA_DIR : dataDir;
    }

    /** One broker URL, or a list of them. */
    @Schema.Shape(BrokerUrls.Shape.class)
    public record BrokerUrls(List<String> urls, boolean listed) {

        /** Binds a URL or a list of them, as the schema admits. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static BrokerUrls of(JsonNode written) {
            List<String> urls = new ArrayList<>();
            if (written.isArray()) {
                written.forEach(url -> urls.add(url.asText()));
            } else {
                urls.add(written.asText());
            }
            return new BrokerUrls(List.copyOf(urls), written.isArray());
        }

        /** One URL as written; a list becomes an Artemis HA connection over all of them. */
        public String connectionUrl() {
            return !listed ? urls.get(0)
                    : "(" + String.join(",", urls) + ")?ha=true&reconnectAttempts=-1";
        }

        /** tcp://, ssl:// or an Artemis URL list in parentheses; the items of a list tcp:// or ssl://. */
        public static final class Shape implements CustomShape {
            @Override
            public ObjectNode schema(SchemaGenerationContext context) {
                ObjectNode schema = JsonNodeFactory.instance.objectNode();
                schema.putArray("type").add("string").add("array");
                schema.put("pattern", "^(tcp|ssl|\\()").put("minItems", 1);
                schema.putObject("items").put("type", "string").put("pattern", "^(tcp|ssl)://");
                schema.putObject("message").put("pattern", "must be an Artemis URL such as tcp://artemis-1:61616")
                        .put("type", "must be a broker URL or a list of them");
                return schema;
            }
        }
    }
}
