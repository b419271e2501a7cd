package io.busbar.bootstrap.metrics;

import io.busbar.bootstrap.BusbarCli;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code busbar_build_info{version, java}}, always 1: which Busbar and which JVM each instance
 * runs, for a dashboard's version table and for joining onto other series after an upgrade.
 */
@Component
public class BuildInfoMetric {

    /** The version a build without a jar manifest (tests, the IDE) reports. */
    static final String DEVELOPMENT = "development";

    public BuildInfoMetric(MeterRegistry registry) {
        Gauge.builder("busbar.build.info", () -> 1).description("Version of Busbar and of the Java runtime; always 1")
                .tag("version", version()).tag("java", Runtime.version().toString()).register(registry);
    }

    /** The Implementation-Version of the jar Busbar runs from, as {@code busbar --version} prints it. */
    public static String version() {
        String version = BusbarCli.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT : version;
    }
}
