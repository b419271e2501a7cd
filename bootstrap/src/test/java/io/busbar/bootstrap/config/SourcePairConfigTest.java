package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.busbar.connectors.opcua.OpcUaSecurityPolicy;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import io.busbar.redundancy.Failback;
import io.busbar.redundancy.HeartbeatCriterion;
import io.busbar.redundancy.Preferred;
import io.busbar.redundancy.RedundancyMode;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.redundancy.RoleCriterion;
import io.busbar.routes.plan.SourcePairPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The redundancy, security and connection settings of a source pair. */
class SourcePairConfigTest {

    private static final Path DIR = Path.of("src/test/resources/config/redundancy");

    @Test
    void everyRedundancySetting_isCompiled() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("full.yaml"), Map.of("BUSBAR_TEST_PASSWORD", "s3cret")::get);

        SourcePairPlan plant = config.plan().pairs().get(0);
        RedundancyPolicy policy = plant.redundancy();
        assertThat(policy.mode()).isEqualTo(RedundancyMode.WARM);
        assertThat(policy.preferred()).isEqualTo(Preferred.NONE);
        assertThat(policy.failback()).isEqualTo(new Failback.After(Duration.ofSeconds(30)));
        assertThat(policy.minDwell()).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.criteria().serviceLevel()).isTrue();
        assertThat(policy.criteria().serviceLevelThreshold()).isEqualTo(180);
        assertThat(policy.criteria().heartbeat()).contains(new HeartbeatCriterion("ns=2;s=Redundancy.Heartbeat", Duration.ofSeconds(5)));
        assertThat(policy.criteria().role()).contains(new RoleCriterion("ns=2;s=Redundancy.IsActive", "true"));
        assertThat(policy.criteria().watchNodes()).containsExactly("ns=2;s=Comms.Status");
        assertThat(policy.criteria().staleAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.criteria().staleWhenSilent()).isTrue();
        assertThat(plant.backfill().overlap()).isEqualTo(Duration.ofSeconds(2));
        assertThat(plant.backfill().maxWindow()).isEqualTo(Duration.ofHours(4));

        OpcUaSourceOptions primary = plant.primary().options();
        assertThat(primary.securityPolicy()).isEqualTo(OpcUaSecurityPolicy.BASIC256SHA256);
        assertThat(primary.username()).isEqualTo("busbar");
        assertThat(primary.password()).isEqualTo("s3cret");
        assertThat(primary.toString()).doesNotContain("s3cret");
        assertThat(primary.pkiDirectory()).isEqualTo(DIR.toAbsolutePath().resolve("pki").normalize());
        assertThat(primary.keepAliveInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(primary.keepAliveTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(primary.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(primary.retryDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(plant.secondary().orElseThrow().options().securityPolicy()).isEqualTo(OpcUaSecurityPolicy.NONE);
    }

    @Test
    void defaults_areHotServiceLevelStickyPrimaryPreferred() {
        SourcePairPlan plant = ConfigFile.load(Path.of("src/test/resources/config/minimal.yaml")).plan().pairs().get(0);

        assertThat(plant.redundancy()).isEqualTo(RedundancyPolicy.defaults());
        assertThat(plant.primary().options().keepAliveTimeout()).isEqualTo(OpcUaSourceOptions.DEFAULT_KEEP_ALIVE_TIMEOUT);
    }

    @Test
    void badRedundancySettings_areAllReportedWithTheirLines() {
        Path file = DIR.resolve("invalid.yaml");
        List<String> problems = catchThrowableOfType(InvalidConfigurationException.class,
                () -> ConfigFile.load(file, Map.<String, String>of()::get))
                .problems().stream().map(Problem::toString).toList();

        String f = file.toString();
        assertThat(problems).containsExactly(
                f + ":6:9: sources.plant.primary.security.policy: must be one of: None, Basic256Sha256, Aes256_Sha256_RsaPss",
                f + ":8:9: sources.plant.primary.security.password: environment variable BUSBAR_UNSET_VARIABLE is not set",
                f + ":9:5: sources.plant.mode: must be one of: hot, warm, cold",
                f + ":12:9: sources.plant.health.heartbeat.node: must be an OPC UA NodeId such as ns=2;s=Meter001.Energy"
                        + " or ns=0;i=2267, not 'Heartbeat'",
                f + ":14:7: sources.plant.health.role: a role criterion needs a secondary server",
                f + ":17:7: sources.plant.health.stale-after: must be at least 3 × 1s = 3s (a live server reports"
                        + " once per sampling or publishing interval, whichever is longer)",
                f + ":18:5: sources.plant.failback: must be sticky or {after: <duration>}");
    }

    @Test
    void staleAfterNotConfigured_threeOfTheLongerInterval_comparedWithThePartnerOnly() {
        SourcePairPlan plant = ConfigFile.load(DIR.resolve("slow-intervals.yaml")).plan().pairs().get(0);

        assertThat(plant.redundancy().criteria().staleAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(plant.redundancy().criteria().staleWhenSilent()).isFalse();
    }
}
