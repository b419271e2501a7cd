package io.busbar.connectors.target.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.support.TestReadings;
import io.busbar.mappings.model.Reading;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaTargetPropertiesTest {

    @Test
    void targetProperties_reachTheProducer_besideBusbarsDeliveryGuarantee() {
        Properties props = KafkaTarget.producerProperties(new KafkaTargetSettings("bus", "kafka1:9093", "t",
                Map.of("security.protocol", "SSL", "linger.ms", "20")));

        assertThat(props).containsEntry("security.protocol", "SSL").containsEntry("linger.ms", "20")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("bootstrap.servers", "kafka1:9093");
    }

    @Test
    void topicTemplate_putsThePairAndQuantityIn_withIllegalCharactersReplaced() {
        Reading reading = TestReadings.batch(1).get(0);

        assertThat(new KafkaTopic("busbar.{pair}.{quantity}").of(reading)).isEqualTo("busbar.plant.1-0_1.8.0");
        assertThat(new KafkaTopic("busbar.readings").of(reading)).isEqualTo("busbar.readings");
        assertThat(KafkaTopic.problem("busbar/{pair}")).isPresent();
        assertThat(KafkaTopic.problem("busbar.{pair}-{meter}")).isEmpty();
    }
}
