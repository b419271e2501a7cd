package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.busbar.bootstrap.config.schema.BufferConfig;
import io.busbar.bootstrap.config.schema.HealthConfig;
import io.busbar.bootstrap.config.schema.ServerConfig;
import io.busbar.bootstrap.config.schema.SourcePairConfig;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.connectors.target.RetryConfig;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.SourcePairPlan;
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
    void sourcePairLeftAtItsDefaults_bindsToTheNamedConstants() throws Exception {
        SourcePairConfig pair = ConfigBinding.bind(json("{\"primary\": {\"endpoint\": \"opc.tcp://a:4840\"}}"),
                SourcePairConfig.class);

        assertThat(pair.publishingInterval()).isEqualTo(SourcePairPlan.DEFAULT_PUBLISHING_INTERVAL);
        assertThat(pair.samplingInterval()).as("the publishing interval's").isEqualTo(pair.publishingInterval());
        assertThat(pair.minDwell()).isEqualTo(RedundancyPolicy.DEFAULT_MIN_DWELL);
        assertThat(pair.backfill().policy()).isEqualTo(BackfillPolicy.defaults());
        assertThat(pair.pollOrDefaults().pollCycle()).isEqualTo(PollCycle.defaults());
        assertThat(pair.poll()).as("not polled").isNull();
        assertThat(pair.health().serviceLevel()).isEqualTo(HealthConfig.ServiceLevel.defaults());
        assertThat(pair.connection().keepAliveTimeout()).isEqualTo(OpcUaSourceOptions.DEFAULT_KEEP_ALIVE_TIMEOUT);
    }

    @Test
    void sourcePairKeysOfSeveralForms_bindAsWritten() throws Exception {
        SourcePairConfig after = ConfigBinding.bind(json("{\"primary\": {\"endpoint\": \"opc.tcp://a:4840\","
                + " \"security\": {\"policy\": \"Basic256Sha256\"}}, \"failback\": {\"after\": \"2m\"},"
                + " \"health\": {\"service-level\": {\"threshold\": 150}, \"role\": {\"node\": \"ns=2;s=R\","
                + " \"active-value\": 1}}, \"sampling-interval\": \"250ms\"}"), SourcePairConfig.class);
        SourcePairConfig sticky = ConfigBinding.bind(json("{\"primary\": {\"endpoint\": \"opc.tcp://a:4840\"},"
                + " \"failback\": \"sticky\", \"health\": {\"service-level\": false}}"), SourcePairConfig.class);

        assertThat(after.failback().after()).isEqualTo(Duration.ofMinutes(2));
        assertThat(sticky.failback().sticky()).isTrue();
        assertThat(after.health().serviceLevel()).isEqualTo(new HealthConfig.ServiceLevel(true, 150));
        assertThat(sticky.health().serviceLevel().used()).isFalse();
        assertThat(String.valueOf(after.health().role().activeValue())).isEqualTo("1");
        assertThat(after.samplingInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(after.primary().security().pkiDir()).isEqualTo(ServerConfig.SecurityConfig.DEFAULT_PKI_DIR);
    }

    @Test
    void aSectionTheRecordDoesNotKnow_isAnErrorOfTheProgram_notOfTheFile() throws Exception {
        assertThatThrownBy(() -> ConfigBinding.bind(json("{\"initial\": \"soon\"}"), RetryConfig.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RetryConfig that passed the schema");
    }
}
