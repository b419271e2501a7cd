package io.busbar.connectors.target.file;

import io.busbar.connectors.target.TargetSettings;
import java.nio.file.Path;

/**
 * A JSON-lines file target.
 *
 * @param name target name
 * @param path the file; one reading per line in the wire format, appended
 */
public record FileTargetSettings(String name, Path path) implements TargetSettings {

    public static final String TYPE = "file";

    @Override
    public String type() {
        return TYPE;
    }
}
