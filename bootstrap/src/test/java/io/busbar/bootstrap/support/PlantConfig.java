package io.busbar.bootstrap.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The smallest configuration of the end-to-end tests: pair {@code plant} on one server, its mapping
 * file {@code mappings/plant.yaml}, and one JSON-lines file target {@code out} at {@link #OUT}.
 */
public final class PlantConfig {

    /** Where the file target writes, relative to the configuration's directory. */
    public static final String OUT = "out/readings.jsonl";

    private PlantConfig() {
    }

    /** Writes the mapping file and {@code busbar.yaml} into {@code dir}; returns the latter. */
    public static Path write(Path dir, String endpoint, String mapping) throws IOException {
        return write(dir, endpoint, "", mapping);
    }

    /**
     * @param sourceOptions lines of the pair's own options (e.g. {@code publishing-interval: 200ms}),
     *                      indented as keys of the pair, or empty
     */
    public static Path write(Path dir, String endpoint, String sourceOptions, String mapping) throws IOException {
        Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(dir.resolve("mappings/plant.yaml"), mapping);
        String options = sourceOptions.isEmpty() ? "" : sourceOptions.indent(4).stripTrailing() + "\n";
        Path config = dir.resolve("busbar.yaml");
        Files.writeString(config, """
                sources:
                  plant:
                    primary:
                      endpoint: %s
                %smappings:
                  plant: mappings/plant.yaml
                targets:
                  out:
                    type: file
                    path: %s
                routes:
                  - from: plant
                    to: [out]
                """.formatted(endpoint, options, OUT));
        return config;
    }
}
