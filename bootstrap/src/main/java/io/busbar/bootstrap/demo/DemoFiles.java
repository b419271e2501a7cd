package io.busbar.bootstrap.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the demo's configuration into the demo directory, so what runs is an ordinary
 * {@code busbar.yaml} a user can read, validate and copy: one source pair on the simulated servers,
 * a mapping of every simulated meter (energy in Wh scaled to kWh, power in kW), and a JSON-lines
 * file target.
 */
public final class DemoFiles {

    public static final String CONFIG = "busbar.yaml";
    public static final String MAPPING = "mappings/demo.yaml";
    public static final String READINGS = "readings.jsonl";

    private DemoFiles() {
    }

    /** @return the written busbar.yaml */
    public static Path write(Path dir, String primaryEndpoint, String secondaryEndpoint, int meters) throws IOException {
        Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(dir.resolve(MAPPING), mapping(meters), StandardCharsets.UTF_8);
        Path config = dir.resolve(CONFIG);
        Files.writeString(config, config(primaryEndpoint, secondaryEndpoint), StandardCharsets.UTF_8);
        return config;
    }

    static String config(String primaryEndpoint, String secondaryEndpoint) {
        return """
                # Written by `busbar demo`: a simulated redundant SCADA pair feeding a JSON-lines file.
                sources:
                  demo:
                    primary:
                      endpoint: %s
                    secondary:
                      endpoint: %s
                    publishing-interval: 1s
                mappings:
                  demo: %s
                targets:
                  readings-file:
                    type: file
                    path: %s
                routes:
                  - from: demo
                    to: [readings-file]
                buffer:
                  data-dir: data
                """.formatted(primaryEndpoint, secondaryEndpoint, MAPPING, READINGS);
    }

    static String mapping(int meters) {
        StringBuilder yaml = new StringBuilder("""
                # Written by `busbar demo`: every simulated meter, energy counter in Wh → kWh, power in kW.
                meters:
                """);
        for (int i = 1; i <= meters; i++) {
            String id = "Meter%03d".formatted(i);
            yaml.append("""
                      - id: %1$s
                        registers:
                          - node: "ns=2;s=%1$s.Energy"
                            quantity: "1-0:1.8.0"
                            unit: kWh
                            scale: 0.001
                          - node: "ns=2;s=%1$s.Power"
                            quantity: "1-0:1.7.0"
                            unit: kW
                    """.formatted(id));
        }
        return yaml.toString();
    }
}
