package io.busbar.bootstrap.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.bootstrap.support.Series;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.Reading;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real embedded broker with a small {@code buffer.max-disk} and its only target down: the
 * buffer fills, ingest pauses (nothing is dropped), and once the target is back the backlog drains,
 * the journal shrinks, ingest resumes, and the paused time is read back from the server's history
 * — every (meter, quantity, second) once in the target.
 */
class BackPressureIT {

    /**
     * 12,000 readings/s: at about 50 bytes a reading in the buffer's binary chunks the journal grows
     * by about 0.6 MB/s and reaches the smallest limit allowed (64MB, 23 MB of it the empty broker)
     * about 70 s after the start (8,000 readings/s took 103 s).
     */
    private static final int METERS = 6000;

    @TempDir
    Path dir;

    @RegisterExtension
    final InProcessBusbar run = new InProcessBusbar();

    @Test
    void tinyMaxDisk_targetDown_ingestPauses_thenEverySecondArrivesOnceAfterRecovery() throws Exception {
        // every update pushed to the subscription: with sampling, a busy test JVM could let the server
        // skip a second live (Milo samples the latest value only), which is not what this test is about
        SimulatedScadaServer server = run.server(SimulatedScadaServer.builder().meterCount(METERS).pushUpdates(true));
        Path config = DemoFiles.write(dir, server.endpointUrl(), server.endpointUrl(), METERS);
        // the empty broker takes ~23 MB (two 10 MiB journal files and the bindings)
        Files.writeString(config, Files.readString(config).replace("  data-dir: data\n",
                "  data-dir: data\n  max-disk: 64MB\n"));
        Path readings = dir.resolve(DemoFiles.READINGS);
        Files.createDirectories(readings); // the target is down: where its file goes, a directory stands

        ConfigurableApplicationContext busbar = run.start(ConfigFile.load(config));
        MeterRegistry metrics = busbar.getBean(MeterRegistry.class);
        Instant started = Instant.now();
        await("the buffer full").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> gauge(metrics, "busbar.buffer.full") == 1);
        System.out.printf("back-pressure: buffer full %d s after the start%n", Duration.between(started, Instant.now()).toSeconds());
        double forwarded = counter(metrics, "busbar.source.forwarded");
        await("ingest paused").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> counter(metrics, "busbar.source.forwarded") == forwarded);
        assertThat(forwarded).as("readings buffered before the limit").isPositive();

        Files.delete(readings); // the target is back
        Instant back = Instant.now();
        await("room again").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> gauge(metrics, "busbar.buffer.full") == 0);
        long caughtUp = back.getEpochSecond() + 5;
        // the backlog drains, the paused time comes back from history (the buffer may fill up again
        // on the way: the limit holds while it does), and live readings follow
        await("live again").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> lastSecond(readings) >= caughtUp);
        // reading the whole file (a million lines) only from here on leaves the drain its CPU
        await("the paused time backfilled").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
                    List<Reading> delivered = ReadingsFile.read(readings);
                    Series.assertEachSecondExactlyOnce(delivered);
                    assertThat(delivered.stream().map(r -> r.meter() + "/" + r.quantity()).distinct().count())
                            .as("every series").isEqualTo(2L * METERS);
                });
    }

    /** The source second of the file's last line: the file target appends in time order per batch. */
    private static long lastSecond(Path readings) throws Exception {
        if (!Files.isRegularFile(readings) || Files.size(readings) == 0) {
            return 0;
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(readings.toFile(), "r")) {
            long from = Math.max(0, file.length() - 8192);
            byte[] tail = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(tail);
            String text = new String(tail, java.nio.charset.StandardCharsets.UTF_8);
            // the target may be writing its next line right now: read the last complete one
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return 0;
            }
            String[] lines = text.substring(0, end).split("\n");
            return io.busbar.mappings.wire.ReadingCodec.fromJson(lines[lines.length - 1]).sourceTime().getEpochSecond();
        }
    }

    private static double gauge(MeterRegistry metrics, String name) {
        var gauge = metrics.find(name).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static double counter(MeterRegistry metrics, String name) {
        var counter = metrics.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
