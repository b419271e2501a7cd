package io.busbar.bootstrap.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.bootstrap.support.Series;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.connectors.support.RecordingHttpServer;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Busbar stopped for half a minute, then started again while its HTTP target answers slowly: the
 * half minute is read back from the server's history only as fast as the target takes it — the
 * read-back waits while the target's queue is deep instead of putting all of it into the buffer —
 * and once the target is quick again the read-back ends and every (meter, quantity, second)
 * reaches the target once. The real embedded broker, the real Milo server's history, a real HTTP
 * server.
 */
class ReadBackPaceIT {

    /** 2,000 readings/s live: the half minute is 60,000 readings, of which only the first 10 s slice is read before any wait. */
    private static final int METERS = 1000;
    private static final int STOPPED_SECONDS = 30;
    private static final long GAP_READINGS = 2L * METERS * STOPPED_SECONDS;
    private static final String TARGET = "crm";
    /** How long the slow target takes to answer a request: a few buffer messages a second, fewer than the live stream brings. */
    private static final Duration SLOW_ANSWER = Duration.ofMillis(250);

    @TempDir
    Path dir;

    @RegisterExtension
    final InProcessBusbar run = new InProcessBusbar();

    private final RecordingHttpServer http = new RecordingHttpServer();
    private volatile boolean slow;
    private ConfigurableApplicationContext busbar;

    ReadBackPaceIT() throws IOException {
    }

    @AfterEach
    void close() {
        if (busbar != null) {
            busbar.close(); // before the target's server, which it would keep posting to
        }
        http.close();
    }

    @Test
    void aStoppedHalfMinute_isReadBackOnlyAsFastAsASlowTargetTakesIt_andEverySecondArrivesOnce() throws Exception {
        http.otherwise("/readings", request -> {
            if (slow) {
                LockSupport.parkNanos(SLOW_ANSWER.toNanos()); // the target's own slowness, not a wait of the test
            }
            return RecordingHttpServer.Answer.of(200);
        });
        SimulatedScadaServer server = run.server(SimulatedScadaServer.builder().meterCount(METERS).pushUpdates(true));
        Path config = DemoFiles.write(dir, server.endpointUrl(), server.endpointUrl(), METERS);
        Files.writeString(config, Files.readString(config)
                .replaceAll("(?s)targets:.*routes:", """
                        targets:
                          %s:
                            type: http
                            url: %s
                            body: batch
                        routes:""".formatted(TARGET, http.url("/readings")))
                .replace("to: [readings-file]", "to: [" + TARGET + "]"));

        ConfigurableApplicationContext first = run.start(ConfigFile.load(config));
        busbar = first;
        await("readings at the target").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> delivered().size() >= 4 * METERS);
        first.close(); // the watermarks are saved: the next start reads the time in between back
        long stoppedAtSecond = Instant.now().getEpochSecond();
        long stoppedAt = server.publishedUpdates();
        await("the server publishes on for " + STOPPED_SECONDS + " s").atMost(Duration.ofSeconds(STOPPED_SECONDS + 30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> server.publishedUpdates() - stoppedAt >= STOPPED_SECONDS);

        slow = true;
        ConfigurableApplicationContext second = run.start(ConfigFile.load(config));
        busbar = second;
        MeterRegistry metrics = second.getBean(MeterRegistry.class);
        await("the read-back waits for the target").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> counter(metrics, "busbar.backfill.waited.seconds") > 1);
        // the read-back goes on only as the target takes what waits: the queue stays near the
        // backlog's mark, and the half minute is not read to its end while the target is slow
        await("the read-back held back while the target is slow").during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> depth(metrics) < 3 * TargetBacklog.BEHIND_MESSAGES
                        && counter(metrics, "busbar.backfill.readings") < GAP_READINGS);
        double backfilled = counter(metrics, "busbar.backfill.readings");

        slow = false;
        await("the read-back done").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> counter(metrics, "busbar.backfill.readings") >= GAP_READINGS);
        System.out.printf("read-back pace: %.0f readings read back while the target was slow, %.0f in all, waited %.1f s%n",
                backfilled, counter(metrics, "busbar.backfill.readings"),
                counter(metrics, "busbar.backfill.waited.seconds"));
        // each series whole across the stop, each second once
        await("every second at the target").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    List<Reading> received = delivered();
                    Series.assertEachSecondExactlyOnce(received);
                    assertThat(received.stream().map(r -> r.meter() + "/" + r.quantity()).distinct().count())
                            .as("every series").isEqualTo(2L * METERS);
                    assertThat(received.stream().mapToLong(r -> r.sourceTime().getEpochSecond()).min().orElseThrow())
                            .as("from before the stop").isLessThan(stoppedAtSecond);
                    assertThat(received.stream().mapToLong(r -> r.sourceTime().getEpochSecond()).max().orElseThrow())
                            .as("to after the restart").isGreaterThan(stoppedAtSecond + STOPPED_SECONDS);
                });
    }

    private List<Reading> delivered() {
        List<Reading> readings = new ArrayList<>();
        for (RecordingHttpServer.Request request : http.requests("/readings")) {
            readings.addAll(ReadingCodec.fromJsonBatch(request.body().getBytes(StandardCharsets.UTF_8)));
        }
        return readings;
    }

    private static double depth(MeterRegistry metrics) {
        var gauge = metrics.find("busbar.target.queue.depth").tag("target", TARGET).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double counter(MeterRegistry metrics, String name) {
        return metrics.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
