package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate",
        header = "Check a configuration and its mapping files; start nothing.",
        description = "Check a configuration file and every mapping file it references, without starting anything.")
public final class ValidateCommand extends ConsoleCommand {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The busbar.yaml to check.")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        try {
            var compiled = ConfigFile.load(config);
            out.printf("%s: valid (%d source pair(s), %d target(s), %d mapped node(s))%n", config,
                    compiled.plan().pairs().size(), compiled.plan().targets().size(),
                    compiled.plan().pairs().stream().mapToInt(p -> p.mapping().size()).sum());
            return ExitCodes.OK;
        } catch (InvalidConfigurationException e) {
            printProblems(err, e);
            return ExitCodes.INVALID;
        }
    }

    static void printProblems(PrintWriter err, InvalidConfigurationException e) {
        e.problems().forEach(err::println);
        err.printf("%d problem(s) found.%n", e.problems().size());
        err.flush();
    }
}
