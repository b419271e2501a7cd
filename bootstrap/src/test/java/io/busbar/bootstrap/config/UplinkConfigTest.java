package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.busbar.connectors.uplink.UplinkParser.TimeSource;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.plan.BusbarPlan;
import io.busbar.routes.uplink.UplinkSourcePlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** IoT uplink sources in busbar.yaml: defaults, secrets, TLS, and what does not fit, with lines. */
class UplinkConfigTest {

    private static final Path DIR = Path.of("src/test/resources/config/uplinks");

    @Test
    void uplinkSources_areCompiled_withTheirDefaults_andFeedTheirTargets() {
        BusbarPlan plan = ConfigFile.load(DIR.resolve("valid.yaml"), Map.of("LNS_PASSWORD", "s3cret")::get).plan();

        assertThat(plan.pairs()).isEmpty();
        UplinkSourcePlan lora = plan.uplinks().get(0);
        assertThat(lora.name()).isEqualTo("lora");
        assertThat(lora.url()).isEqualTo("ssl://lns.example.com:8883");
        assertThat(lora.clientId()).isEqualTo("busbar-site-a");
        assertThat(lora.username()).contains("busbar");
        assertThat(lora.password()).contains("s3cret");
        assertThat(lora.toString()).doesNotContain("s3cret");
        assertThat(lora.tls().caFile()).contains(DIR.resolve("ca.pem").toAbsolutePath().normalize());
        assertThat(lora.topics()).containsExactly("application/+/device/+/event/up");
        assertThat(lora.timeSource()).isEqualTo(TimeSource.DEVICE);
        assertThat(lora.deviceTimePointer()).isEqualTo("/readAt");
        assertThat(lora.sessionExpiry()).isEqualTo(Duration.ofDays(2));
        assertThat(lora.expectedInterval()).contains(Duration.ofHours(1));
        assertThat(lora.mapping().nodeIds()).containsExactly("uplink:0004a30b001c0001/volume",
                "uplink:0004a30b001c0002/volume", "uplink:0004a30b001c0003/volume");
        UplinkSourcePlan tts = plan.uplinks().get(1);
        assertThat(tts.topics()).containsExactly("v3/+/devices/+/up");
        assertThat(tts.clientId()).isEqualTo("busbar-uplinks-tts");
        assertThat(tts.timeSource()).isEqualTo(TimeSource.GATEWAY);
        assertThat(tts.password()).isEqualTo(Optional.empty());
        assertThat(tts.sessionExpiry()).isEqualTo(UplinkSourcePlan.DEFAULT_SESSION_EXPIRY);
        assertThat(tts.expectedInterval()).as("not watched unless configured").isEmpty();
        assertThat(plan.pairsFeeding("out")).containsExactly("lora", "tts");
    }

    @Test
    void badFormat_tlsWithoutSsl_unsetSecret_deviceTimeWithoutDeviceTime_badAddress_reportedWithLines() {
        Path file = DIR.resolve("invalid.yaml");
        List<String> problems = problems(file);

        String f = file.toString();
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(f + ":4:").contains("uplinks.lora.format")
                .contains("must be chirpstack or tts"));
        assertThat(problems).contains(
                f + ":5:5: uplinks.lora.device-time: applies only with time: device",
                f + ":7:5: uplinks.lora.password: environment variable LNS_PASSWORD is not set",
                f + ":8:5: uplinks.lora.tls: applies only to an ssl:// broker URL");
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(f + ":10:")
                .contains("uplinks.lora.expected-interval").contains("must be a duration"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("bad-meters.yaml:4:")
                .contains("must be an uplink address such as uplink:0004a30b001c0530/energy"));
    }

    @Test
    void opcUaNodeInAnUplinkMapping_isReported() {
        Path file = DIR.resolve("opcua-mapping.yaml");
        assertThat(problems(file)).anySatisfy(p -> assertThat(p).startsWith(file + ":")
                .contains("mappings.lora: uplink source 'lora' reads only uplink registers")
                .contains("'ns=2;s=Meter1.Energy' (meter m1)"));
    }

    private static List<String> problems(Path file) {
        return catchThrowableOfType(InvalidConfigurationException.class,
                () -> ConfigFile.load(file, Map.<String, String>of()::get))
                .problems().stream().map(Problem::toString).toList();
    }
}
