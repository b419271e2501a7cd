package io.busbar.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void write_createsTheDirectoryAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("a/b/state.txt");

        AtomicFiles.writeLines(file, List.of("one", "two"), StandardCharsets.UTF_8);

        assertThat(file).hasContent("one\ntwo\n");
        assertThat(namesIn(file.getParent())).containsExactly("state.txt");
    }

    @Test
    void write_replacesTheWholeContent() throws IOException {
        Path file = dir.resolve("state.txt");
        AtomicFiles.write(file, "a much longer first content", StandardCharsets.UTF_8);

        AtomicFiles.write(file, "short", StandardCharsets.UTF_8);

        assertThat(file).hasContent("short");
    }

    @Test
    void aWriterThatFails_leavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.txt");
        AtomicFiles.write(file, "old", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> AtomicFiles.writeText(file, StandardCharsets.UTF_8, out -> {
            out.write("half of the new");
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(file).hasContent("old");
        assertThat(namesIn(dir)).containsExactly("state.txt");
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
