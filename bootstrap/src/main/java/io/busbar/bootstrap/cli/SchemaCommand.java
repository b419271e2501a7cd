package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.MappingFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "schema", mixinStandardHelpOptions = true,
        header = "Print the JSON Schema of the config or of mapping files.",
        description = "Print the JSON Schema of the configuration file (or of mapping files), for editors that check YAML while typing.",
        footer = ExitCodes.HELP)
public final class SchemaCommand implements Callable<Integer> {

    @Option(names = "--mapping", description = "Print the mapping-file schema instead.")
    boolean mapping;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String schema = mapping ? MappingFile.schema().schemaText() : ConfigFile.schema().schemaText();
        spec.commandLine().getOut().print(schema);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
