package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.busbar.bootstrap.config.schema.BufferConfig;
import io.busbar.connectors.target.RetryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sections that passed the schema bind to the records the schema is generated from. */
class ConfigBindingTest {

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void bufferLeftOut_bindsToTheDefaults() {
        BufferConfig buffer = ConfigBinding.bind(MissingNode.getInstance(), BufferConfig.class);

        assertThat(buffer.dataDirOrDefault()).isEqualTo(BufferConfig.DEFAULT_DATA_DIR).isEqualTo("data");
        assertThat(buffer.maxDisk()).isNull();
        assertThat(buffer.url()).isNull();
    }

    @Test
    void oneBrokerUrl_isUsedAsWritten_aListBecomesAnHaConnection() throws Exception {
        BufferConfig one = ConfigBinding.bind(json("{\"url\": \"tcp://artemis:61616?x=1\", \"data-dir\": \"buf\"}"),
                BufferConfig.class);
        BufferConfig listed = ConfigBinding.bind(json("{\"url\": [\"tcp://a:61616\", \"tcp://b:61616\"]}"),
                BufferConfig.class);
        BufferConfig listOfOne = ConfigBinding.bind(json("{\"url\": [\"tcp://a:61616\"]}"), BufferConfig.class);

        assertThat(one.url().connectionUrl()).isEqualTo("tcp://artemis:61616?x=1");
        assertThat(one.dataDirOrDefault()).isEqualTo("buf");
        assertThat(listed.url().connectionUrl()).isEqualTo("(tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1");
        assertThat(listOfOne.url().connectionUrl()).isEqualTo("(tcp://a:61616)?ha=true&reconnectAttempts=-1");
    }

    @Test
    void durations_bindInTheConfigurationsForm() throws Exception {
        RetryConfig retry = ConfigBinding.bind(json("{\"initial\": \"1500ms\", \"max\": \"2d\", \"jitter\": 0}"),
                RetryConfig.class);

        assertThat(retry.initial()).isEqualTo(Duration.ofMillis(1500));
        assertThat(retry.max()).isEqualTo(Duration.ofDays(2));
        assertThat(retry.jitter()).isZero();
        assertThat(retry.multiplier()).as("left out: the caller's default applies").isNull();
    }

    @Test
    void deploymentSection_isCompiledFromItsRecord_withSecretsAndDefaults() {
        CompiledConfig config = ConfigFile.load(Path.of("src/test/resources/config/deployment-kubernetes.yaml"),
                Map.of("POD_NAMESPACE", "metering")::get);

        DeploymentPlan deployment = config.deployment();
        assertThat(deployment.mode()).isEqualTo(DeploymentPlan.Mode.DISTRIBUTED);
        assertThat(deployment.lock()).isEqualTo(DeploymentPlan.Lock.KUBERNETES);
        assertThat(deployment.instanceId()).isEqualTo("busbar-2");
        assertThat(deployment.takeoverOverlap()).isEqualTo(Duration.ofSeconds(45));
        assertThat(deployment.takeoverWithin()).isEqualTo(DeploymentPlan.DEFAULT_TAKEOVER_WITHIN);
        assertThat(deployment.beside()).isEmpty();
        assertThat(deployment.kubernetes()).isEqualTo(new DeploymentPlan.KubernetesLeases(Optional.of("metering"), "meters"));
    }

    @Test
    void aSectionTheRecordDoesNotKnow_isAnErrorOfTheProgram_notOfTheFile() throws Exception {
        assertThatThrownBy(() -> ConfigBinding.bind(json("{\"initial\": \"soon\"}"), RetryConfig.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RetryConfig that passed the schema");
    }
}
