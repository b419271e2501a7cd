package io.busbar.bootstrap.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build step that writes the generated configuration schema into the classes, where
 * {@link ConfigSchema#text()} finds it (bootstrap/pom.xml runs it after compiling).
 */
public final class WriteConfigSchema {

    private WriteConfigSchema() {
    }

    /** @param args the classes directory */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: WriteConfigSchema <classes directory>");
        }
        Path file = Path.of(args[0]).resolve(ConfigSchema.RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, ConfigSchema.generate(), StandardCharsets.UTF_8);
    }
}
