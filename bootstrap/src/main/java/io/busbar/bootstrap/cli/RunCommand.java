package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.BusbarApplication;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoServers;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "run",
        header = "Run the connector on a configuration until stopped.",
        description = {"Run the connector: validate the configuration (exit 2 on any problem), then stream readings until stopped.",
                "Spring Boot settings may follow, e.g. --server.port=8081 --logging.level.io.busbar=DEBUG."})
public final class RunCommand extends ConsoleCommand {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The busbar.yaml to run.")
    Path config;

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        CompiledConfig compiled;
        try {
            compiled = ConfigFile.load(config);
        } catch (InvalidConfigurationException e) {
            ValidateCommand.printProblems(err(), e);
            return ExitCodes.INVALID;
        }
        runUntilStopped(compiled, null, springArgs);
        return ExitCodes.OK;
    }

    /** Starts the application and blocks until it shuts down (Ctrl-C, SIGTERM or the actuator). */
    static void runUntilStopped(CompiledConfig compiled, DemoServers demo, List<String> springArgs)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        ConfigurableApplicationContext context = BusbarApplication.start(compiled, demo, springArgs.toArray(String[]::new));
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        if (!context.isActive()) {
            return;
        }
        closed.await();
    }
}
