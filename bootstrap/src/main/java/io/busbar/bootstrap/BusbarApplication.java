package io.busbar.bootstrap;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.demo.DemoServers;
import io.busbar.bootstrap.launch.IdleHeap;
import io.busbar.bootstrap.launch.MiloStackInit;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.jfr.FlightRecorderApplicationStartup;

/**
 * The Spring Boot application that runs a compiled configuration. Spring's own Artemis
 * auto-configuration is excluded: Busbar starts its broker from busbar.yaml ({@link BufferConfiguration}).
 */
@SpringBootApplication(exclude = ArtemisAutoConfiguration.class)
public class BusbarApplication {

    /**
     * With {@code -Dbusbar.startup-steps=jfr} and {@code -XX:StartFlightRecording}, Spring records each
     * start-up step (bean creation, configuration-class parsing, ...) as a JFR event with its duration,
     * to find slow beans (issue 12). Off by default: the events cost a little on every bean.
     */
    static final String STARTUP_STEPS_PROPERTY = "busbar.startup-steps";

    /**
     * Starts Busbar for an already validated configuration.
     *
     * @param springArgs Spring Boot arguments such as {@code --server.port=8081}
     */
    public static ConfigurableApplicationContext start(CompiledConfig config, String... springArgs) {
        return start(config, null, springArgs);
    }

    /**
     * @param demo the demo's simulated servers, whose controls ({@code /demo/servers}) are then
     *             served; null otherwise
     */
    public static ConfigurableApplicationContext start(CompiledConfig config, DemoServers demo, String... springArgs) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(BusbarApplication.class)
                .bannerMode(Banner.Mode.OFF)
                .initializers(context -> {
                    // Spring has set up logging by now; the context's refresh, the long part, is still ahead
                    MiloStackInit.startFor(config);
                    context.getBeanFactory().registerSingleton("compiledConfig", config);
                    if (demo != null) {
                        context.getBeanFactory().registerSingleton("demoServers", demo);
                    }
                });
        if ("jfr".equals(System.getProperty(STARTUP_STEPS_PROPERTY))) {
            builder.applicationStartup(new FlightRecorderApplicationStartup());
        }
        ConfigurableApplicationContext context = builder.run(springArgs);
        // only now: with its free ratios during start-up, G1 shrank the heap at every concurrent
        // cycle and collected again soon after (IdleHeap.apply)
        Map<String, String> heap = IdleHeap.apply();
        if (IdleHeap.collectStartUpGarbage(heap)) {
            LoggerFactory.getLogger(BusbarApplication.class).info("No -Xmx given: the heap an idle Busbar does not use"
                    + " goes back to the system ({}; start-up's garbage collected once); size the heap with -Xmx to keep it", heap);
        }
        return context;
    }
}
