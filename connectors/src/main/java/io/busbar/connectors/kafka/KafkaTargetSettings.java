package io.busbar.connectors.kafka;

import io.busbar.connectors.target.TargetSettings;

/**
 * A Kafka topic target.
 *
 * @param name    target name
 * @param brokers bootstrap servers, comma-separated
 * @param topic   the topic; record key = meter id, so each meter's readings stay in order on one partition
 */
public record KafkaTargetSettings(String name, String brokers, String topic) implements TargetSettings {

    public static final String TYPE = "kafka";

    @Override
    public String type() {
        return TYPE;
    }
}
