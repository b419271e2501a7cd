package io.busbar.bootstrap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class BuildInfoMetricTest {

    @Test
    void buildInfo_isOneGaugeNamedBuildInfoWithVersionAndJava() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new BuildInfoMetric(registry);

        String line = registry.scrape().lines().filter(l -> l.startsWith("busbar_build_info{")).findFirst().orElseThrow(
                () -> new AssertionError("no busbar_build_info in\n" + registry.scrape()));
        assertThat(line).contains("version=\"" + BuildInfoMetric.version() + "\"")
                .contains("java=\"" + Runtime.version() + "\"").endsWith(" 1");
    }
}
