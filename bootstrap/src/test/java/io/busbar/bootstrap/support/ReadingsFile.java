package io.busbar.bootstrap.support;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a JSON-lines file target the way a downstream consumer would. */
public final class ReadingsFile {

    private ReadingsFile() {
    }

    /** Complete lines only: a line being written while we read is skipped until it ends. */
    public static List<Reading> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return List.of();
            }
            return text.substring(0, end).lines().map(ReadingCodec::fromJson).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
