package io.busbar.connectors.target.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.busbar.connectors.target.TargetSettings;

/**
 * A Kafka topic target.
 *
 * @param name    target name
 * @param brokers bootstrap servers, comma-separated
 * @param topic      the topic, or a template with {pair}, {meter}, {quantity} ({@link KafkaTopic}); record
 *                   key = meter id, so each meter's readings stay in order on one partition
 * @param properties Kafka producer settings passed as they are: TLS ({@code security.protocol=SSL},
 *                   {@code ssl.truststore.*}), SASL ({@code sasl.mechanism}, {@code sasl.jaas.config}),
 *                   {@code linger.ms}, {@code batch.size}, {@code compression.type}, ... — except the
 *                   ones that make the delivery guarantee, which Busbar sets ({@link #RESERVED})
 */
public record KafkaTargetSettings(String name, String brokers, String topic, Map<String, String> properties)
        implements TargetSettings {

    public static final String TYPE = "kafka";

    /** Producer settings Busbar owns: without them a confirmed batch would not be durable, or not once. */
    public static final Set<String> RESERVED = Set.of("bootstrap.servers", "acks", "enable.idempotence",
            "key.serializer", "value.serializer", "transactional.id");

    public KafkaTargetSettings {
        properties = Map.copyOf(properties);
    }

    public KafkaTargetSettings(String name, String brokers, String topic) {
        this(name, brokers, topic, Map.of());
    }

    /** What is wrong with a topic or topic template; empty when it is fine. */
    public static Optional<String> topicProblem(String topic) {
        return KafkaTopic.problem(topic);
    }

    /** Secrets (a SASL password in sasl.jaas.config) stay out of logs: only the keys are shown. */
    @Override
    public String toString() {
        return "KafkaTargetSettings[name=" + name + ", brokers=" + brokers + ", topic=" + topic + ", properties="
                + properties.keySet() + "]";
    }

    @Override
    public String type() {
        return TYPE;
    }
}
