package io.busbar.bootstrap.buffer;

import io.busbar.support.DaemonThreads;
import io.busbar.routes.BufferCapacity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code buffer.max-disk}: measures the buffer directory every {@link #PERIOD_MS} and reports it
 * full at the limit, so ingest applies back-pressure. Readings are never dropped: the refused time
 * is read from the servers' history once deliveries have made room.
 */
public final class DiskLimit implements BufferCapacity, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiskLimit.class);
    static final long PERIOD_MS = 1000;
    /**
     * Without a limit the size is only shown (health details), so it is measured every 10 s: walking
     * the journal directory every second was a thread's wake-up a second in an idle Busbar (issue 12).
     */
    static final long UNLIMITED_PERIOD_MS = 10_000;

    private final Path dataDir;
    private final OptionalLong maxBytes;
    private final ScheduledExecutorService sampler;
    private volatile long usedBytes;
    private volatile boolean full;

    public DiskLimit(Path dataDir, OptionalLong maxBytes) {
        this.dataDir = dataDir;
        this.maxBytes = maxBytes;
        this.sampler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-buffer-disk"));
        sample();
        long period = periodMs(maxBytes);
        sampler.scheduleWithFixedDelay(this::sample, period, period, TimeUnit.MILLISECONDS);
    }

    /** How often the directory is measured: every second when ingest depends on it, else every 10 s. */
    static long periodMs(OptionalLong maxBytes) {
        return maxBytes.isPresent() ? PERIOD_MS : UNLIMITED_PERIOD_MS;
    }

    @Override
    public boolean hasRoom() {
        return !full;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public OptionalLong maxBytes() {
        return maxBytes;
    }

    private void sample() {
        try {
            usedBytes = sizeOf(dataDir);
        } catch (RuntimeException e) {
            log.warn("Cannot measure the buffer directory {}: {}", dataDir, e.toString());
            return;
        }
        boolean nowFull = maxBytes.isPresent() && usedBytes >= maxBytes.getAsLong();
        if (nowFull != full) {
            if (nowFull) {
                log.warn("Buffer full: {} bytes used of buffer.max-disk {}; ingest pauses, and the time it is paused"
                        + " will be read back from the servers' history", usedBytes, maxBytes.getAsLong());
            } else {
                log.info("Buffer has room again ({} of {} bytes); ingest resumes with a backfill", usedBytes,
                        maxBytes.getAsLong());
            }
            full = nowFull;
        }
    }

    private static long sizeOf(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // deleted while walking: journal files come and go
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
