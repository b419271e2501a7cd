package io.busbar.connectors.target.file;

import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetType;

/** {@code type: file}: readings appended to a JSON-lines file. */
public final class FileTargetType extends TargetType<FileTargetSettings> {

    public FileTargetType() {
        super(FileTargetSettings.TYPE, FileTargetSettings.class, FileTargetConfig.class);
    }

    @Override
    public void check(TargetEntry entry) {
        if (entry.node().path("path").isTextual()) {
            entry.claim("file " + entry.path(entry.node().get("path").asText()), "/path",
                    other -> "target '" + other + "' writes the same file");
        }
    }

    @Override
    public FileTargetSettings settings(TargetEntry entry) {
        return new FileTargetSettings(entry.name(), entry.path(entry.config(FileTargetConfig.class).path()));
    }

    @Override
    public FileTarget create(FileTargetSettings settings) {
        return new FileTarget(settings);
    }
}
