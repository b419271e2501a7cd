package io.busbar.bench;

import io.busbar.support.FreePorts;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the scenarios share: the settings, the report, the processes, the sampler, and (once the
 * driver has started them) the Kafka broker and the tracker of readings arriving there.
 */
final class Bench {

    final BenchSettings settings;
    final Report report;
    final ProcessLauncher launcher;
    final ProcessProbes probes;
    final Sampler sampler = new Sampler();
    KafkaBroker kafka;
    ReadingTracker tracker;

    Bench(BenchSettings settings) {
        this.settings = settings;
        this.report = new Report();
        this.launcher = new ProcessLauncher(settings, report);
        this.probes = new ProcessProbes(settings.logs, report);
    }

    /** Starts Busbar on {@code servers} with a Kafka target and returns once its first reading is at Kafka. */
    RunningBusbar startBusbar(String name, LoadServers servers, long intervalMs, long publishingMs, long samplingMs)
            throws Exception {
        Path dir = settings.out.resolve(name);
        Path config = BusbarSetup.writeConfig(dir, servers.primaryEndpoint(), servers.secondaryEndpoint(), servers.tags(),
                publishingMs, samplingMs, kafka.bootstrap());
        int httpPort = FreePorts.free();
        long before = tracker.total();
        JavaProcess process = launcher.track(BusbarSetup.start(name, settings.busbarJar, settings.busbarHeap, settings.busbarJvm, config,
                httpPort, settings.logs,
                settings.traceStages ? List.of("-Dlogging.level.io.busbar.stages=DEBUG") : List.of()));
        sampler.follow(process, httpPort);
        long deadline = System.currentTimeMillis() + 240_000;
        while (tracker.total() == before) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.process.exitValue() + "; see "
                        + process.stdout + "\n" + JavaProcess.tail(process.stdout, 20));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name + " delivered nothing within 240 s; see " + process.stdout);
            }
            Thread.sleep(100);
        }
        long first = System.currentTimeMillis();
        report.progress(String.format("%s: first reading at Kafka %.1f s after start (publishing %d ms, sampling %d ms)",
                name, (first - process.startedMs) / 1000.0, publishingMs, samplingMs));
        report.figure(name.replace("busbar-", "") + "_first_reading_s",
                String.format(Locale.ROOT, "%.1f", (first - process.startedMs) / 1000.0));
        return new RunningBusbar(process, httpPort, dir, first);
    }
}
