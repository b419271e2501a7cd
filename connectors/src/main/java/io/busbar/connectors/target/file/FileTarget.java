package io.busbar.connectors.target.file;

import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingJsonWriter;
import java.io.BufferedReader;
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
    /** Lines collected before a write: ~600 readings' JSON, far more than a line. */
    static final int OUT_BYTES = 256 * 1024;
    private static final Pattern KEY = Pattern.compile("^\\{\"key\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final FileTargetSettings settings;
    private final RecentKeys recent = new RecentKeys(RECENT_KEYS);
    /** The lines of a batch on their way to the file, written whenever full. */
    private final ByteBuffer out = ByteBuffer.allocateDirect(OUT_BYTES);
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
        // one writer per batch: a Jackson generator per reading was most of a central's delivery
        // CPU; the lines go out through one reused buffer: a batch-sized array (4 MB at 10,000
        // readings) grown and copied was a fifth of it (SiteScaleBench). What a failed batch left in
        // the file is cut off again, so its retry does not write a line twice.
        long[] hashes = new long[batch.size()];
        long before = channel.size();
        try {
            if (!writeLines(batch, hashes)) {
                return;
            }
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            // part of the batch may be in the file already: take it out, the retry writes it whole
            try {
                channel.truncate(before);
            } catch (IOException | RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        for (long hash : hashes) {
            recent.add(hash);
        }
    }

    /** Appends the lines of the readings whose keys are not recent; @return whether there were any */
    private boolean writeLines(List<Reading> batch, long[] hashes) throws IOException {
        boolean wrote = false;
        out.clear();
        try (ReadingJsonWriter json = new ReadingJsonWriter()) {
            for (int i = 0; i < hashes.length; i++) {
                Reading reading = batch.get(i);
                hashes[i] = RecentKeys.hash(reading.key());
                if (!recent.contains(hashes[i])) {
                    byte[] line = json.encode(reading);
                    if (out.remaining() <= line.length) {
                        flush();
                    }
                    if (out.remaining() <= line.length) {
                        write(line); // longer than the buffer (never seen): on its own
                        write("\n");
                    } else {
                        out.put(line).put((byte) '\n');
                    }
                    wrote = true;
                }
            }
        }
        flush();
        return wrote;
    }

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
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
