package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.MappingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schema",
        header = "Print the JSON Schema of the config or of mapping files.",
        description = "Print the JSON Schema of the configuration file (or of mapping files), for editors that check YAML while typing.")
public final class SchemaCommand extends ConsoleCommand {

    @Option(names = "--mapping", description = "Print the mapping-file schema instead.")
    boolean mapping;

    @Override
    public Integer call() {
        String schema = mapping ? MappingFile.schema().schemaText() : ConfigFile.schema().schemaText();
        out().print(schema);
        out().flush();
        return ExitCodes.OK;
    }
}
