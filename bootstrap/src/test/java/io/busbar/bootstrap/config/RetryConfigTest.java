package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.routes.plan.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryConfigTest {

    @Test
    void perTargetRetry_isCompiled_othersKeepTheDefault() {
        CompiledConfig config = ConfigFile.load(Path.of("src/test/resources/config/retry.yaml"));

        assertThat(config.plan().retry("out"))
                .isEqualTo(new RetryPolicy(Duration.ofSeconds(2), 3, Duration.ofMinutes(5), 0.1));
        assertThat(config.plan().retry("other")).isEqualTo(RetryPolicy.DEFAULT);
    }

    @Test
    void parallelismAndAPartialRetry_areCompiledForTheirTarget_othersKeepTheDefaults() {
        CompiledConfig config = ConfigFile.load(Path.of("src/test/resources/config/delivery.yaml"));

        assertThat(config.plan().parallelism("bus")).isEqualTo(4);
        assertThat(config.plan().retry("bus")).isEqualTo(new RetryPolicy(RetryPolicy.DEFAULT.initial(),
                RetryPolicy.DEFAULT.multiplier(), Duration.ofMinutes(1), RetryPolicy.DEFAULT.jitter()));
        assertThat(config.plan().parallelism("out")).isEqualTo(1);
        assertThat(config.plan().retry("out")).isEqualTo(RetryPolicy.DEFAULT);
    }
}
