package io.busbar.connectors.target.kafka;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.RetryConfig;
import java.util.Map;

/** The keys of a {@code type: kafka} entry; its schema is generated from this record. */
@JsonClassDescription("a Kafka topic")
public record KafkaTargetConfig(
        @Schema.AnyValue String type,
        @JsonProperty(required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("bootstrap.servers, e.g. kafka1:9092,kafka2:9092") String brokers,
        @JsonProperty(required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("Topic, or a template with {pair}, {meter}, {quantity} (other characters than"
                + " letters, digits, . _ - in a value become _); the record key is the meter id.") String topic,
        @JsonPropertyDescription("Kafka producer settings passed as they are: TLS (security.protocol: SSL,"
                + " ssl.truststore.location, ...), SASL (sasl.mechanism, sasl.jaas.config: ${KAFKA_JAAS}), linger.ms,"
                + " batch.size, compression.type. Busbar sets bootstrap.servers, acks, enable.idempotence, the"
                + " serializers and transactional.id itself.") Map<String, ProducerValue> properties,
        RetryConfig retry,
        @JsonPropertyDescription(RetryConfig.PARALLELISM) @Schema.Range(min = 1, max = 16) Integer parallelism) {

    /** A producer setting's value as YAML gives it. */
    @Schema.Scalar
    @Schema.Types({"string", "number", "boolean"})
    public record ProducerValue(Object value) {

        /** Binds the scalar as written. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public ProducerValue {
        }
    }
}
