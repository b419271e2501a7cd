package io.busbar.connectors.target.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.support.TestReadings;
import io.busbar.mappings.model.Reading;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The Kafka topic template's placeholders and problems, pinned when its parser became the shared one (issue 17). */
class KafkaTopicTest {

    private static final String NOT_A_TOPIC = "must be a Kafka topic name (letters, digits, . _ -, at most 249),"
            + " optionally with {pair}, {meter} or {quantity}";

    @Test
    void placeholders_takeTheReadingsValues_withIllegalCharactersReplaced() {
        Reading reading = reading("plant-a", "MTR 1", "1-0:1.8.0");
        assertThat(new KafkaTopic("busbar.{pair}.{meter}.{quantity}").of(reading))
                .isEqualTo("busbar.plant-a.MTR_1.1-0_1.8.0");
        assertThat(new KafkaTopic("readings").of(reading)).isEqualTo("readings");
    }

    /** The legal values pass as they are; any other character, an emoji as one, becomes one {@code _}, as String.replaceAll did. */
    @Test
    void values_areReplacedPerCodePoint_likeTheRegex() {
        KafkaTopic topic = new KafkaTopic("{pair}.{meter}.{quantity}");
        for (String value : new String[] {"plain-Meter_0.9", "", "a b", "Zähler", "m\ud83d\ude00x", "lone\ud83d",
                "\ude00\ud83d", "\ud83d", "{x}", "a/b:c", "1-0:1.8.0"}) {
            String legal = value.replaceAll("[^a-zA-Z0-9._-]", "_");
            assertThat(topic.of(reading(value, value, "q"))).as(value).isEqualTo(legal + "." + legal + ".q");
        }
    }

    @Test
    void longTopic_isCutAt249() {
        String topic = new KafkaTopic("{meter}").of(reading("p", "m".repeat(300), "q"));
        assertThat(topic).hasSize(249);
    }

    @Test
    void problems_nameTheUnknownPlaceholderFirst_thenIllegalNames() {
        assertThat(KafkaTopic.problem("busbar.{pair}.{quantity}")).isEmpty();
        assertThat(KafkaTopic.problem("busbar.{site}.{bad")).hasValue(
                "has an unknown placeholder {site}; known: {pair}, {meter}, {quantity}");
        assertThat(KafkaTopic.problem("{{site}")).hasValue(
                "has an unknown placeholder {site}; known: {pair}, {meter}, {quantity}");
        assertThat(KafkaTopic.problem("busbar.{Pair}")).hasValue(NOT_A_TOPIC);
        assertThat(KafkaTopic.problem("busbar.{pair")).hasValue(NOT_A_TOPIC);
        assertThat(KafkaTopic.problem("busbar}")).hasValue(NOT_A_TOPIC);
        assertThat(KafkaTopic.problem("a/b")).hasValue(NOT_A_TOPIC);
        assertThat(KafkaTopic.problem("t".repeat(250))).hasValue(NOT_A_TOPIC);
    }

    private static Reading reading(String pair, String meter, String quantity) {
        return TestReadings.reading(pair, meter, quantity, BigDecimal.ONE, "kWh", TestReadings.T0);
    }
}
