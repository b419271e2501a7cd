package io.busbar.accounting;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The register readings the running accounting of one pair still needs, on disk: one reading per
 * line (the wire format), appended and forced to disk before the buffer message that brought them
 * is acknowledged, so a kill -9 loses none. Appending a reading again (a redelivered message) is
 * harmless: per series and source time the later one wins, as in {@link RegisterSeries}.
 *
 * <p>{@link #replaceAll} rewrites the file (temp file + rename) with what is still needed; a line
 * cut short by a crash at the end of the file is dropped when it is opened.
 */
public final class RegisterLog implements AutoCloseable {

    private final Path file;
    private final Map<SeriesId, NavigableMap<Instant, Reading>> series = new TreeMap<>();
    private FileChannel channel;
    private int size;

    private RegisterLog(Path file) {
        this.file = file;
    }

    /** @throws IllegalStateException naming file and line when a line other than the last is not a reading */
    public static RegisterLog open(Path file) {
        RegisterLog log = new RegisterLog(file);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long goodBytes = 0;
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                byte[] all = Files.readAllBytes(file);
                boolean endsWithNewline = all.length > 0 && all[all.length - 1] == '\n';
                for (int i = 0; i < lines.size(); i++) {
                    boolean last = i == lines.size() - 1;
                    if (last && !endsWithNewline) {
                        break; // cut short by a crash: its batch was not acknowledged and comes again
                    }
                    try {
                        log.put(ReadingCodec.fromJson(lines.get(i)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(file + ":" + (i + 1) + ": not a reading: " + e.getMessage(), e);
                    }
                    goodBytes += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
                }
            }
            log.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            log.channel.truncate(goodBytes);
            log.channel.position(goodBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        return log;
    }

    /** Adds the readings and forces them to disk. */
    public void append(Collection<Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder(readings.size() * 480);
        for (Reading reading : readings) {
            put(reading);
            lines.append(ReadingCodec.toJson(reading)).append('\n');
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Replaces the whole log with {@code keep}, atomically. */
    public void replaceAll(Collection<Reading> keep) {
        try {
            channel.close();
            try {
                AtomicFiles.writeText(file, StandardCharsets.UTF_8, out -> {
                    for (Reading reading : keep) {
                        out.write(ReadingCodec.toJson(reading));
                        out.write('\n');
                    }
                });
            } finally {
                // appends go on to whichever file is there now: the new one, or the old one if the rewrite failed
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                channel.position(channel.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
        series.clear();
        size = 0;
        keep.forEach(this::put);
    }

    private void put(Reading reading) {
        if (series.computeIfAbsent(new SeriesId(reading.meter(), reading.quantity()), k -> new TreeMap<>())
                .put(reading.sourceTime(), reading) == null) {
            size++;
        }
    }

    /** The newest source time of a series, or null. */
    Instant latest(SeriesId id) {
        NavigableMap<Instant, Reading> points = series.get(id);
        return points == null || points.isEmpty() ? null : points.lastKey();
    }

    /** Every reading, by series and source time. */
    public List<Reading> readings() {
        List<Reading> all = new ArrayList<>(size);
        series.values().forEach(points -> all.addAll(points.values()));
        return all;
    }

    Map<SeriesId, NavigableMap<Instant, Reading>> series() {
        return series;
    }

    public int size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
