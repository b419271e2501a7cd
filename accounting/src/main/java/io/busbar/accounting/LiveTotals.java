package io.busbar.accounting;

import io.busbar.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The billing totals of one pair at the moments of a schedule, in the running accounting: for each
 * moment T, once a reading of the pair is {@code grace} past it, one CSV file ({@link TotalsCsv}) with,
 * per group and register (tariff zone), the consumption since the previous moment and the register
 * sum at T. The first moment has no previous one: its file gives the register sums at T and
 * consumption 0 (from = to).
 *
 * <p>Each moment once and none skipped, across a kill -9: {@code totals.state} holds the last
 * moment written and the next one; it is saved ({@link AtomicFiles}) after the CSV file was
 * renamed into place (the same way), and a moment whose file is already there (a crash between the two) is not
 * written again. Moments passed while Busbar was down are written in order, each from its previous
 * one, once readings past them arrive (the history backfill brings the readings around them). A
 * file that cannot be written (a full disk, a share gone) is retried with the next reading: the
 * moment stays due, the readings around it stay in the log ({@link #anchors}).
 */
public final class LiveTotals {

    /** The moments T. */
    @FunctionalInterface
    public interface Schedule {
        /** The first moment strictly after {@code after}, in the accounting's time zone. */
        Instant next(Instant after, ZoneId zone);
    }

    /** The file name of a pair's totals at a moment: one name per moment. */
    @FunctionalInterface
    public interface FileNames {
        String name(String pair, Instant moment, ZoneId zone);
    }

    /** The rows of the totals between two moments ({@code from} may equal {@code to}). */
    @FunctionalInterface
    interface Rows {
        List<TotalRow> between(Instant from, Instant to);
    }

    /**
     * @param dir         where the files go
     * @param grace       how far past T a reading must be before T is written (readings of T still on their way)
     * @param decimalMark of amounts
     * @param dateFormat  of from and to, in the accounting's time zone
     * @param columns     of the file; empty for {@link TotalsCsv#DEFAULT_COLUMNS}
     */
    public record Settings(Path dir, FileNames fileNames, Schedule schedule, Duration grace, char decimalMark, String dateFormat,
                           Charset encoding, List<TotalsCsv.Column> columns) {
        public Settings {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(fileNames, "fileNames");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(grace, "grace");
            Objects.requireNonNull(dateFormat, "dateFormat");
            Objects.requireNonNull(encoding, "encoding");
            columns = columns == null ? List.of() : List.copyOf(columns);
        }
    }

    static final String STATE_FILE = "totals.state";

    private final String pair;
    private final Settings settings;
    private final ZoneId zone;
    private final Path stateFile;
    private final TotalsCsv csv;
    private Instant previous;
    private Instant next;
    private String problem;

    private LiveTotals(String pair, Settings settings, ZoneId zone, Path stateFile) {
        this.pair = pair;
        this.settings = settings;
        this.zone = zone;
        this.stateFile = stateFile;
        this.csv = new TotalsCsv(zone, settings.decimalMark(), settings.dateFormat(), settings.columns());
    }

    /** @param stateDir the pair's state folder */
    static LiveTotals open(String pair, Settings settings, ZoneId zone, Path stateDir) {
        LiveTotals totals = new LiveTotals(pair, settings, zone, stateDir.resolve(STATE_FILE));
        if (Files.exists(totals.stateFile)) {
            try {
                String[] parts = Files.readString(totals.stateFile, StandardCharsets.UTF_8).strip().split("\t");
                if (parts.length != 2) {
                    throw new IllegalStateException(totals.stateFile + ":1: not 'previous moment<TAB>next moment'");
                }
                totals.previous = parts[0].equals("-") ? null : Instant.parse(parts[0]);
                totals.next = Instant.parse(parts[1]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + totals.stateFile, e);
            }
        }
        return totals;
    }

    /** The moments whose register values the log must keep: the previous one and those not yet written up to {@code newest}. */
    List<Instant> anchors(Instant newest) {
        List<Instant> anchors = new ArrayList<>();
        if (previous != null) {
            anchors.add(previous);
        }
        for (Instant t = next; t != null && !t.isAfter(newest); t = settings.schedule().next(t, zone)) {
            anchors.add(t);
        }
        return anchors;
    }

    /** Writes every moment due at {@code newest}, in order; @return the moments written */
    List<Instant> writeDue(Instant newest, Rows rows) {
        List<Instant> written = new ArrayList<>();
        if (next == null) {
            next = settings.schedule().next(newest, zone); // the first reading: the moments start after it
            saveState();
        }
        while (!newest.isBefore(next.plus(settings.grace()))) {
            Path file = settings.dir().resolve(settings.fileNames().name(pair, next, zone));
            try {
                if (!Files.exists(file)) { // there: written before a crash that came before the state was saved
                    Files.createDirectories(settings.dir());
                    write(file, rows.between(previous == null ? next : previous, next));
                }
            } catch (IOException | UncheckedIOException e) {
                problem = "cannot write " + file + ": " + e.getMessage();
                return written; // the moment stays due: tried again with the next reading
            }
            problem = null;
            written.add(next);
            previous = next;
            next = settings.schedule().next(next, zone);
            saveState();
        }
        return written;
    }

    /** The last moment written, or null. */
    Instant lastWritten() {
        return previous;
    }

    /** Why the due moment could not be written, or null. */
    String problem() {
        return problem;
    }

    private void write(Path file, List<TotalRow> rows) throws IOException {
        AtomicFiles.write(file, csv.render(rows), settings.encoding());
    }

    private void saveState() {
        try {
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
            AtomicFiles.write(stateFile, (previous == null ? "-" : previous.toString()) + '\t' + next + '\n', StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile, e);
        }
    }
}
