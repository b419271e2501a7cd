package io.busbar.connectors.target.csv;

import io.busbar.connectors.target.RejectedReadingsException.Rejection;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.csv.CsvTargetSettings.Mode;
import io.busbar.connectors.target.csv.CsvTargetSettings.Rotate;
import io.busbar.mappings.model.Reading;
import io.busbar.support.AtomicFiles;
import io.busbar.support.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes readings as CSV files for billing programs (1C, Стек and the like), in one of two modes.
 *
 * <p><b>append</b>: one row per reading, appended to the current file, which is a hidden
 * {@code .<name>.part} until it is complete: at the end of the day ({@code rotate: daily}, in the
 * target's time zone) or once it reaches {@code max-size} ({@code rotate: size}) it is forced to disk
 * and renamed to its final name atomically, so an importer never sees a partial file. A batch counts
 * as delivered once its rows are forced to disk. A batch retried after a crash is appended again
 * (at-least-once: add the {@code key} column where the importer should drop repeats).
 *
 * <p><b>export</b>: at every moment T of the schedule (cron or interval), plus {@code grace} for
 * readings still on their way, one file with the latest value per meter and quantity with source
 * time ≤ T, written atomically (temporary file, fsync, rename). A batch counts as delivered once it
 * is in the target's journal ({@code .busbar-<target>.journal}, forced to disk), which the export
 * reads from, so values survive a restart. Replays are harmless: the latest value per meter and
 * quantity is the same however often a reading arrives. After a downtime the latest missed moment
 * is exported at start; earlier missed moments are skipped. A reading of T that arrives after the
 * export of T is not in that file (a backlog longer than one period leaves older values in the
 * next one).
 *
 * <p>Both modes: columns from reading fields and per-meter / per-quantity attributes of the
 * configuration; a header row; separator, decimal mark, date format, time zone and encoding
 * (UTF-8 or windows-1251) as configured. A reading with a character the encoding cannot hold is
 * rejected; failing disk writes are transient. {@code meters}/{@code quantities}, when given,
 * select what is written; other readings count as delivered.
 */
public final class CsvTarget implements Target {

    private static final Logger LOG = LoggerFactory.getLogger(CsvTarget.class);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

    private final CsvTargetSettings settings;
    private final Clock clock;
    private final CsvRows rows;
    private ScheduledExecutorService scheduler;
    private boolean prepared;

    // append mode
    private FileChannel out;
    private Path currentFile;
    private Path currentPart;
    private LocalDate currentDay;

    // export mode
    private LatestValues latest;

    public CsvTarget(CsvTargetSettings settings) {
        this(settings, Clock.systemUTC());
    }

    CsvTarget(CsvTargetSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.rows = new CsvRows(settings);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-csv-" + settings.name()));
        try {
            prepare();
        } catch (IOException | RuntimeException e) {
            // Busbar starts anyway (the share may come later); deliveries fail until the directory is usable.
            LOG.warn("CSV target {}: {} is not usable yet: {}", name(), settings.dir(), e.toString());
        }
        scheduleTick(Duration.ZERO);
    }

    /** Directory, journal and the current file: done at start, or again before each delivery until it worked. */
    private void prepare() throws IOException {
        if (prepared) {
            return;
        }
        Files.createDirectories(settings.dir());
        if (settings.mode() == Mode.EXPORT) {
            Instant now = clock.instant();
            ExportSchedule schedule = settings.schedule().orElseThrow();
            Instant moment = readLastExport()
                    .map(last -> {
                        Instant next = schedule.next(last, settings.timeZone());
                        Instant latestDue = schedule.latest(now.minus(settings.grace()), settings.timeZone());
                        return latestDue.isAfter(next) ? latestDue : next; // after a downtime: the latest missed moment
                    })
                    .orElseGet(() -> schedule.next(now, settings.timeZone()));
            latest = new LatestValues(stateFile("journal"), moment);
            LOG.info("CSV target {}: next export of the values at {} ({})", name(), moment, schedule);
        } else {
            resumeAppendFile();
        }
        prepared = true;
    }

    @Override
    public synchronized void deliver(List<Reading> batch) throws Exception {
        if (scheduler == null) {
            throw new IllegalStateException("csv target " + name() + " is not started");
        }
        prepare();
        List<Rejection> rejections = new ArrayList<>();
        List<Reading> accepted = new ArrayList<>(batch.size());
        ByteArrayOutputStream encoded = new ByteArrayOutputStream(batch.size() * 96);
        for (Reading reading : batch) {
            if (!settings.selects(reading.meter(), reading.quantity())) {
                continue;
            }
            try {
                byte[] row = rows.encode(rows.row(reading, latest == null ? null : latest.moment()));
                encoded.write(row);
                accepted.add(reading);
            } catch (CharacterCodingException e) {
                rejections.add(new Rejection(reading, "a character of this reading cannot be written in "
                        + settings.encoding().name()));
            }
        }
        if (settings.mode() == Mode.EXPORT) {
            latest.add(accepted);
        } else if (!accepted.isEmpty()) {
            append(encoded.toByteArray());
        }
        if (!rejections.isEmpty()) {
            throw new RejectedReadingsException(rejections);
        }
    }

    // ---------------------------------------------------------------- append mode

    private void append(byte[] bytes) throws IOException {
        Instant now = clock.instant();
        rotateIfDue(now);
        if (out == null) {
            open(now);
        }
        if (out.size() == 0 && settings.header()) {
            write(rows.encode(rows.header()));
        }
        write(bytes);
        out.force(false);
        if (settings.rotate() == Rotate.SIZE && out.size() >= settings.maxSize()) {
            finishAppendFile();
        }
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private void rotateIfDue(Instant now) throws IOException {
        if (out != null && settings.rotate() == Rotate.DAILY && !LocalDate.ofInstant(now, settings.timeZone()).equals(currentDay)) {
            finishAppendFile();
        }
    }

    private void open(Instant now) throws IOException {
        currentDay = LocalDate.ofInstant(now, settings.timeZone());
        Instant nameTime = settings.rotate() == Rotate.DAILY
                ? currentDay.atStartOfDay(settings.timeZone()).toInstant() : now;
        for (int seq = 1; ; seq++) {
            Path file = settings.dir().resolve(fileName(nameTime, seq));
            if (!Files.exists(file)) {
                currentFile = file;
                break;
            }
        }
        currentPart = partOf(currentFile);
        out = FileChannel.open(currentPart, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        // the day is kept with the name: a file's modification time is the machine's clock, not the target's
        String state = currentFile.getFileName() + "\n" + currentDay;
        AtomicFiles.write(stateFile("current"), state.getBytes(StandardCharsets.UTF_8));
    }

    /** After a restart: go on with the file that was current, or finish it when its time is over. */
    private void resumeAppendFile() throws IOException {
        Path state = stateFile("current");
        if (!Files.exists(state)) {
            return;
        }
        String[] lines = Files.readString(state, StandardCharsets.UTF_8).strip().split("\n");
        Path file = settings.dir().resolve(lines[0].strip());
        Path part = partOf(file);
        if (!Files.exists(part)) {
            return;
        }
        currentFile = file;
        currentPart = part;
        currentDay = lines.length > 1 ? LocalDate.parse(lines[1].strip())
                : LocalDate.ofInstant(Files.getLastModifiedTime(part).toInstant(), settings.timeZone());
        out = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        rotateIfDue(clock.instant());
    }

    private void finishAppendFile() throws IOException {
        out.force(true);
        out.close();
        out = null;
        AtomicFiles.publish(currentPart, currentFile);
        LOG.info("CSV target {}: completed {}", name(), currentFile);
    }

    /** The file name for a time and number; a template without {seq} gets "-2", "-3" before the extension. */
    private String fileName(Instant time, int seq) {
        String name = FileNameTemplate.render(settings.fileName(), settings.name(), time, settings.timeZone(), seq);
        if (seq > 1 && !settings.fileName().contains("{seq}")) {
            int dot = name.lastIndexOf('.');
            name = dot > 0 ? name.substring(0, dot) + "-" + seq + name.substring(dot) : name + "-" + seq;
        }
        return name;
    }

    private static Path partOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".part");
    }

    // ---------------------------------------------------------------- export mode

    /** Writes the export of the pending moment: the latest value per meter and quantity at or before it. */
    synchronized Path export() throws IOException {
        Instant moment = latest.moment();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if (settings.header()) {
            content.write(rows.encode(rows.header()));
        }
        List<Reading> values = latest.atMoment();
        for (Reading reading : values) {
            content.write(rows.encode(rows.row(reading, moment)));
        }
        Path file = settings.dir().resolve(fileName(moment, 1));
        AtomicFiles.write(file, content.toByteArray());
        AtomicFiles.write(stateFile("last-export"), moment.toString().getBytes(StandardCharsets.UTF_8));
        ExportSchedule schedule = settings.schedule().orElseThrow();
        Instant next = schedule.next(moment, settings.timeZone());
        Instant latestDue = schedule.latest(clock.instant().minus(settings.grace()), settings.timeZone());
        latest.advance(latestDue.isAfter(next) ? latestDue : next);
        LOG.info("CSV target {}: exported {} value(s) at {} to {}", name(), values.size(), moment, file);
        return file;
    }

    private java.util.Optional<Instant> readLastExport() throws IOException {
        Path file = stateFile("last-export");
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Instant.parse(Files.readString(file, StandardCharsets.UTF_8).strip()));
    }

    // ---------------------------------------------------------------- schedule

    /** Daily rotation and exports happen here, on the target's own thread. */
    void tick() {
        Duration delay;
        synchronized (this) {
            if (scheduler == null) {
                return;
            }
            Instant now = clock.instant();
            try {
                prepare();
                if (settings.mode() == Mode.EXPORT) {
                    while (!now.isBefore(latest.moment().plus(settings.grace()))) {
                        export();
                    }
                    delay = Duration.between(now, latest.moment().plus(settings.grace()));
                } else {
                    rotateIfDue(now);
                    delay = Duration.between(now, LocalDate.ofInstant(now, settings.timeZone()).plusDays(1)
                            .atStartOfDay(settings.timeZone()).toInstant());
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("CSV target {}: {} failed, trying again in {}: {}", name(),
                        settings.mode() == Mode.EXPORT ? "export" : "rotation", RETRY_AFTER_FAILURE, e.toString());
                delay = RETRY_AFTER_FAILURE;
            }
        }
        scheduleTick(delay);
    }

    private synchronized void scheduleTick(Duration delay) {
        if (scheduler != null && !scheduler.isShutdown()) {
            // at most an hour ahead, so a changed wall clock is noticed
            long millis = Math.max(0, Math.min(delay.toMillis(), Duration.ofHours(1).toMillis()));
            scheduler.schedule(this::tick, millis, TimeUnit.MILLISECONDS);
        }
    }

    private Path stateFile(String kind) {
        return settings.dir().resolve(".busbar-" + settings.name() + "." + kind);
    }

    @Override
    public synchronized void close() throws IOException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (out != null) {
            out.force(true);
            out.close(); // not completed: the next start goes on with it
            out = null;
        }
        if (latest != null) {
            latest.close();
            latest = null;
        }
        prepared = false;
    }
}
