package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.schema.ServerConfig;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.LocatedDocument;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PKI directories a configuration file's secured servers use, for {@code busbar pki}. Read from
 * the YAML alone, without compiling the whole file: an operator trusting a certificate must not need
 * the passwords' environment variables or valid mapping files.
 */
public final class ServerPkiDirectories {

    private ServerPkiDirectories() {
    }

    /**
     * @return each directory once, in the file's order, resolved against the file's directory as
     *     Busbar resolves it; empty when no server has a {@code security} section
     * @throws InvalidConfigurationException if the file cannot be read or is no YAML
     */
    public static List<Path> of(Path configFile) {
        JsonNode root = LocatedDocument.read(configFile, configFile.toString()).root();
        Path baseDir = configFile.toAbsolutePath().getParent();
        Set<Path> directories = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> source : (Iterable<Map.Entry<String, JsonNode>>) () -> root.path("sources").fields()) {
            for (String server : List.of("primary", "secondary")) {
                JsonNode security = source.getValue().path(server).path("security");
                if (security.isObject()) {
                    directories.add(baseDir.resolve(security.path("pki-dir").asText(ServerConfig.SecurityConfig.DEFAULT_PKI_DIR))
                            .normalize());
                }
            }
        }
        return List.copyOf(directories);
    }
}
