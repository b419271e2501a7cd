package io.busbar.support;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that appear whole or not at all: written under a hidden temporary name in the same
 * directory, forced to disk, renamed atomically, and the directory forced so the rename survives a
 * power loss. A reader that lists the directory never sees a partial file under the final name, and
 * a crash leaves either the old content or the new one.
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream (the stream is buffered; do not close it). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a text file's content (do not close the writer). */
    @FunctionalInterface
    public interface Text {
        void writeTo(Writer out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] content) throws IOException {
        write(file, out -> out.write(content));
    }

    public static void write(Path file, String text, Charset charset) throws IOException {
        write(file, text.getBytes(charset));
    }

    public static void writeText(Path file, Charset charset, Text text) throws IOException {
        write(file, out -> {
            Writer writer = new OutputStreamWriter(out, charset);
            text.writeTo(writer);
            writer.flush();
        });
    }

    public static void writeLines(Path file, Iterable<String> lines, Charset charset) throws IOException {
        writeText(file, charset, out -> {
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
        });
    }

    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // unique per writer: two processes sharing a directory (a leader note) never write one temporary file
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            publish(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Renames a complete, forced file to its final name. */
    public static void publish(Path complete, Path file) throws IOException {
        try {
            Files.move(complete, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically in " + file.toAbsolutePath().getParent() + ": " + e.getMessage(), e);
        }
        forceDirectory(file.toAbsolutePath().getParent());
    }

    public static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // Windows cannot open a directory; there the rename is as durable as the OS makes it.
        }
    }
}
