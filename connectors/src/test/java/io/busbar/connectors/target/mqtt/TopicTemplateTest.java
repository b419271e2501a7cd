package io.busbar.connectors.target.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.support.TestReadings;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The MQTT topic template's placeholders and problems, pinned when its parser became the shared one (issue 17). */
class TopicTemplateTest {

    @Test
    void placeholders_takeTheReadingsValues() {
        assertThat(TopicTemplate.parse("busbar/{pair}/{meter}/{quantity}/{unit}").topicOf(
                TestReadings.reading("plant", "M1", "1-0:1.8.0", BigDecimal.ONE, "kWh", TestReadings.T0)))
                .isEqualTo("busbar/plant/M1/1-0:1.8.0/kWh");
        assertThat(TopicTemplate.parse("fixed").topicOf(TestReadings.reading("M1", "q", "1", TestReadings.T0)))
                .isEqualTo("fixed");
    }

    @Test
    void problems_inTheOrderTheyStandInTheTemplate() {
        assertThat(TopicTemplate.problem("busbar/{pair}")).isEmpty();
        assertThat(TopicTemplate.problem("")).hasValue("must not be empty");
        assertThat(TopicTemplate.problem("a/+/{pair}")).hasValue("must not contain the MQTT wildcards + or #");
        assertThat(TopicTemplate.problem("a}/{pair")).hasValue("has a '}' without '{'");
        assertThat(TopicTemplate.problem("{pair}}")).hasValue("has a '}' without '{'");
        assertThat(TopicTemplate.problem("a/{pair")).hasValue("has a '{' without '}'");
        assertThat(TopicTemplate.problem("{device}/}")).hasValue(
                "has an unknown placeholder {device} (known: {pair}, {meter}, {quantity}, {unit})");
        assertThat(TopicTemplate.problem("{{pair}")).hasValue(
                "has an unknown placeholder {{pair} (known: {pair}, {meter}, {quantity}, {unit})");
        assertThat(TopicTemplate.problem("a/{}")).hasValue(
                "has an unknown placeholder {} (known: {pair}, {meter}, {quantity}, {unit})");
        assertThatThrownBy(() -> TopicTemplate.parse("a/{pair"))
                .hasMessage("topic template 'a/{pair' has a '{' without '}'");
    }
}
