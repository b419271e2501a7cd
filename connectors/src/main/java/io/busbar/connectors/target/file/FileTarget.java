package io.busbar.connectors.target.file;

import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingJsonWriter;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends readings to a JSON-lines file, one reading per line.
 *
 * <p>Delivery semantics: a batch counts as delivered once its lines are written and forced to
 * disk ({@link FileChannel#force}). A crash between that and the buffer's acknowledgement, or
 * readings read again from history after a restart, bring keys the file already has: the target
 * remembers the last {@link #RECENT_KEYS} keys (read back from the end of the file at start) and
 * does not write them again, so the file holds each reading once. A line cut by a crash mid-write
 * is completed with a line break at start, so the next line is whole.
 */
public final class FileTarget implements Target {

    static final int RECENT_KEYS = 500_000;
    /** How much of the file's end is read at start to learn its recent keys. */
    static final long TAIL_BYTES = 128L << 20;
    private static final Pattern KEY = Pattern.compile("^\\{\"key\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final FileTargetSettings settings;
    private final RecentKeys recent = new RecentKeys(RECENT_KEYS);
    private static final Logger LOG = LoggerFactory.getLogger(FileTarget.class);

    private FileChannel channel;
    private boolean started;

    public FileTarget(FileTargetSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    /**
     * Opens the file; when it cannot be opened yet (a share not mounted, a path in the way) Busbar
     * starts all the same and each delivery tries again, failing transiently until it works.
     */
    @Override
    public synchronized void start() {
        started = true;
        try {
            open();
        } catch (IOException | RuntimeException e) {
            LOG.warn("File target {}: {} cannot be opened yet ({}); deliveries wait until it can", name(),
                    settings.path(), e.toString());
        }
    }

    private void open() throws IOException {
        if (settings.path().toAbsolutePath().getParent() != null) {
            Files.createDirectories(settings.path().toAbsolutePath().getParent());
        }
        boolean lastLineCut = Files.exists(settings.path()) && learnRecentKeys();
        channel = FileChannel.open(settings.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (lastLineCut) {
            write("\n"); // a crash cut the last line short: keep the next one whole
        }
    }

    @Override
    public synchronized void deliver(List<Reading> batch) throws IOException {
        if (!started) {
            throw new IllegalStateException("file target " + name() + " is not started");
        }
        if (channel == null) {
            open();
        }
        // one writer per batch: a Jackson generator per reading was most of a central's delivery CPU
        ByteArrayOutputStream lines = new ByteArrayOutputStream(batch.size() * 320);
        try (ReadingJsonWriter json = new ReadingJsonWriter()) {
            for (Reading reading : batch) {
                if (!recent.contains(reading.key())) {
                    lines.writeBytes(json.encode(reading));
                    lines.write('\n');
                }
            }
        }
        if (lines.size() == 0) {
            return;
        }
        write(lines.toByteArray());
        channel.force(false);
        batch.forEach(reading -> recent.add(reading.key()));
    }

    private void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(data);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** @return true when the file does not end with a line break (a line cut short by a crash) */
    private boolean learnRecentKeys() throws IOException {
        try (FileChannel file = FileChannel.open(settings.path(), StandardOpenOption.READ)) {
            if (file.size() == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            file.read(last, file.size() - 1);
            boolean cut = last.get(0) != '\n';
            long start = Math.max(0, file.size() - TAIL_BYTES);
            BufferedReader lines = new BufferedReader(Channels.newReader(file.position(start), StandardCharsets.UTF_8));
            if (start > 0) {
                lines.readLine(); // skip the partial first line
            }
            String line;
            String previous = null;
            while ((line = lines.readLine()) != null) {
                remember(previous);
                previous = line;
            }
            if (!cut) {
                remember(previous); // a cut last line was never delivered: its key must be written again
            }
            return cut;
        }
    }

    private void remember(String line) {
        if (line != null) {
            Matcher key = KEY.matcher(line);
            if (key.find()) {
                recent.add(key.group(1));
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        started = false;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
