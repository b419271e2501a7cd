package io.busbar.bootstrap.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class AccountingSettingsTest {

    @Test
    void unknownTarget_nothingToCompute_badDuration_eachWithItsLine() {
        Path file = Path.of("src/test/resources/config/invalid-accounting.yaml");
        var problems = ((InvalidConfigurationException) Assertions.catchThrowable(() -> ConfigFile.load(file)))
                .problems().stream().map(Problem::toString).toList();
        assertThat(problems).containsExactlyInAnyOrder(
                file + ":14:1: accounting: no mapping file has an accounting: block: nothing to compute",
                file + ":16:15: accounting.events-to[0]: unknown target 'crm' (defined: out)",
                file + ":17:3: accounting.late-data: must be a duration such as 500ms, 10s, 5m, 1h or 2d");
    }
}
