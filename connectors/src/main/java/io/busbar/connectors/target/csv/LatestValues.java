package io.busbar.connectors.target.csv;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.support.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest reading per meter and quantity relative to the next export moment T, kept durable in
 * a journal file so an export after a restart still has every value delivered before it.
 *
 * <p>Two slots per series: the latest reading with source time ≤ T (what the export of T writes)
 * and the latest one after T (it becomes the first slot once T is exported, if it is not after the
 * following moment too). The journal appends each delivered reading (forced per batch) and is
 * rewritten compactly after each export and whenever it grew well beyond the values it holds.
 */
final class LatestValues {

    private static final long MIN_COMPACTION_SIZE = 1024 * 1024;

    private record Series(String meter, String quantity) {
    }

    private static final class Slots {
        Reading atOrBefore;
        Reading after;
    }

    private final Path journal;
    private final Map<Series, Slots> series = new TreeMap<>(Comparator.comparing(Series::meter).thenComparing(Series::quantity));
    private Instant moment;
    private FileChannel channel;

    LatestValues(Path journal, Instant firstMoment) throws IOException {
        this.journal = journal;
        this.moment = firstMoment;
        if (Files.exists(journal)) {
            try (BufferedReader lines = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        try {
                            remember(ReadingCodec.fromJson(line));
                        } catch (IllegalArgumentException tornLastLine) {
                            // a crash in the middle of an append; that batch was not acknowledged and comes again
                        }
                    }
                }
            }
        }
        compact();
    }

    /** The moment the first slots are relative to. */
    Instant moment() {
        return moment;
    }

    /** Remembers the batch durably; returns once the journal is on disk. */
    void add(List<Reading> readings) throws IOException {
        if (readings.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder(readings.size() * 320);
        for (Reading reading : readings) {
            remember(reading);
            lines.append(ReadingCodec.toJson(reading)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
        if (channel.size() > Math.max(MIN_COMPACTION_SIZE, 8L * 2 * series.size() * 400)) {
            compact();
        }
    }

    /** The readings to export at {@link #moment()}, ordered by meter and quantity. */
    List<Reading> atMoment() {
        List<Reading> readings = new ArrayList<>(series.size());
        for (Slots slots : series.values()) {
            if (slots.atOrBefore != null) {
                readings.add(slots.atOrBefore);
            }
        }
        return readings;
    }

    /** Moves on to the next moment: values after the old one that are not after the new one move up. */
    void advance(Instant next) throws IOException {
        moment = next;
        for (Slots slots : series.values()) {
            if (slots.after != null && !slots.after.sourceTime().isAfter(next)) {
                slots.atOrBefore = slots.after;
                slots.after = null;
            }
        }
        compact();
    }

    private void remember(Reading reading) {
        Slots slots = series.computeIfAbsent(new Series(reading.meter(), reading.quantity()), s -> new Slots());
        if (!reading.sourceTime().isAfter(moment)) {
            if (slots.atOrBefore == null || !reading.sourceTime().isBefore(slots.atOrBefore.sourceTime())) {
                slots.atOrBefore = reading;
            }
        } else if (slots.after == null || !reading.sourceTime().isBefore(slots.after.sourceTime())) {
            slots.after = reading;
        }
    }

    /** Rewrites the journal with just the values held, atomically, and reopens it for appending. */
    private void compact() throws IOException {
        StringBuilder lines = new StringBuilder(series.size() * 640);
        for (Slots slots : series.values()) {
            for (Reading reading : new Reading[] {slots.atOrBefore, slots.after}) {
                if (reading != null) {
                    lines.append(ReadingCodec.toJson(reading)).append('\n');
                }
            }
        }
        if (channel != null) {
            channel.close();
        }
        AtomicFiles.write(journal, lines.toString().getBytes(StandardCharsets.UTF_8));
        channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
