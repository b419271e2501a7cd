package io.busbar.connectors.target.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetType;
import io.busbar.mappings.yaml.LocatedDocument;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code type: kafka}: readings produced to a Kafka topic, idempotently, acknowledged by all in-sync replicas. */
public final class KafkaTargetType extends TargetType<KafkaTargetSettings> {

    public KafkaTargetType() {
        super(KafkaTargetSettings.TYPE, KafkaTargetSettings.class, KafkaTargetConfig.class);
    }

    @Override
    public void check(TargetEntry entry) {
        JsonNode topic = entry.node().path("topic");
        if (topic.isTextual()) {
            KafkaTargetSettings.topicProblem(topic.asText()).ifPresent(p -> entry.problem("/topic", p));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = entry.node().path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String pointer = "/properties" + LocatedDocument.pointerSegment(property.getKey());
            if (KafkaTargetSettings.RESERVED.contains(property.getKey())) {
                entry.problem(pointer, property.getKey() + " is set by Busbar (acks=all, idempotent"
                        + " producer, brokers from brokers:); remove it");
            } else if (property.getValue().isTextual()) {
                entry.secret(pointer);
            }
        }
    }

    /** Property values given as ${VAR} are read from the environment. */
    @Override
    public KafkaTargetSettings settings(TargetEntry entry) {
        KafkaTargetConfig config = entry.config(KafkaTargetConfig.class);
        Map<String, String> properties = new LinkedHashMap<>();
        if (config.properties() != null) { // values may be ${ENV_VAR}: resolved where written
            config.properties().keySet().forEach(key -> properties.put(key,
                    entry.secret("/properties" + LocatedDocument.pointerSegment(key)).orElseThrow()));
        }
        return new KafkaTargetSettings(entry.name(), config.brokers(), config.topic(), properties);
    }

    @Override
    public KafkaTarget create(KafkaTargetSettings settings) {
        return new KafkaTarget(settings);
    }
}
