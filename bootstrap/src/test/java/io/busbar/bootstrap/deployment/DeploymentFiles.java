package io.busbar.bootstrap.deployment;

import io.busbar.bootstrap.demo.DemoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes one instance's busbar.yaml: the simulated pair, a shared SQL table, a deployment section. */
final class DeploymentFiles {

    static final String PAIR = "demo";

    private DeploymentFiles() {
    }

    static Path write(Path dir, String primary, String secondary, int meters, String jdbcUrl, String deployment)
            throws IOException {
        Path config = DemoFiles.write(dir, primary, secondary, meters); // the mapping of the simulated meters
        Files.writeString(config, """
                sources:
                  %1$s:
                    primary:
                      endpoint: %2$s
                    secondary:
                      endpoint: %3$s
                    publishing-interval: 1s
                mappings:
                  %1$s: %4$s
                targets:
                  historian:
                    type: sql
                    url: "%5$s"
                    create-table: true
                routes:
                  - from: %1$s
                    to: [historian]
                buffer:
                  data-dir: data
                deployment:
                %6$s""".formatted(PAIR, primary, secondary, DemoFiles.MAPPING, jdbcUrl, deployment.indent(2)));
        return config;
    }
}
