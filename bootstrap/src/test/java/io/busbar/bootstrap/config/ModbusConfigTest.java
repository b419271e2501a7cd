package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.busbar.connectors.modbus.ModbusGatewayOptions;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.plan.SourcePairPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A source pair of Modbus TCP gateways: endpoints, the poll cycle, and what does not fit. */
class ModbusConfigTest {

    private static final Path DIR = Path.of("src/test/resources/config/modbus");

    @Test
    void modbusPair_isCompiledWithItsPollCycle() {
        SourcePairPlan meters = ConfigFile.load(DIR.resolve("valid.yaml")).plan().pairs().get(0);

        PollCycle poll = new PollCycle(Duration.ofSeconds(15), Duration.ofMillis(800), Duration.ofMillis(100), 3);
        assertThat(meters.primary().modbus()).contains(new ModbusGatewayOptions("gw-a", 1502, poll,
                Duration.ofMillis(800)));
        assertThat(meters.secondary().orElseThrow().endpoint()).isEqualTo("modbus-tcp://gw-b:502");
        assertThat(meters.primary().reportInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(meters.redundancy().criteria().staleAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(45));
        assertThat(meters.mapping().nodeIds()).containsExactly("modbus:unit=1;hr=2800;type=uint64");
    }

    @Test
    void mixedKinds_opcUaSettings_andBadAddresses_areReportedWithTheirLines() {
        Path file = DIR.resolve("invalid.yaml");
        List<String> problems = catchThrowableOfType(InvalidConfigurationException.class,
                () -> ConfigFile.load(file, Map.<String, String>of()::get))
                .problems().stream().map(Problem::toString).toList();

        String f = file.toString();
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(f + ":9:").contains("sources.meters.poll.retries"));
        assertThat(problems).contains(
                f + ":6:7: sources.meters.secondary.endpoint: the primary is a Modbus gateway: the secondary must be one"
                        + " too (modbus-tcp://host:port)",
                f + ":7:5: sources.meters.publishing-interval: does not apply to a Modbus gateway pair (it is polled:"
                        + " see poll.cycle, poll.timeout, poll.retries)");
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("bad-meters.yaml:4:").contains("must be a Modbus address"));
    }
}
