package io.busbar.bench;

import static io.busbar.bench.Report.fmt;
import static io.busbar.bench.Report.verdictAtMost;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Failover: kill -9 of the primary server process; ms to the first reading from the secondary at
 * Kafka, and (counted at the end of the run) readings lost and duplicated over the switch.
 */
final class FailoverScenario {

    private final Bench bench;

    FailoverScenario(Bench bench) {
        this.bench = bench;
    }

    void run(RunningBusbar busbar, LoadServers servers, long intervalMs) throws Exception {
        Report report = bench.report;
        ReadingTracker tracker = bench.tracker;
        int timeoutS = bench.settings.failoverTimeoutS;
        Thread.sleep(2_000);
        long kill = System.currentTimeMillis();
        CompletableFuture<ReadingTracker.Arrival> firstSecondary = tracker.watchServer("secondary", kill);
        servers.primary().kill9();
        report.progress("failover: killed the primary server (kill -9, pid " + servers.primary().pid() + ")");
        ReadingTracker.Arrival first = null;
        try {
            first = firstSecondary.get(timeoutS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            report.note("failover: no reading from the secondary reached Kafka within " + timeoutS
                    + " s of the kill (readings were late before the kill: see the latency)");
        }
        long failoverMs = first == null ? -1 : first.appendMs() - kill;
        // Busbar's own part: from the kill, or from the reading's source time when the secondary
        // produced it after the kill, to Kafka. At 1 Hz the next reading may not exist until up to a
        // second after the kill, whichever bridge reads it; failover_ms includes that wait.
        long busbarPartMs = first == null ? -1 : first.appendMs() - Math.max(kill, first.sourceMs());
        // a window of source times around the kill, counted at the end of the run (the readings may
        // be late); the next scenario starts once the window is over
        boolean quick = bench.settings.quick;
        long from = kill - (quick ? 3_000 : 5_000);
        long to = kill + (quick ? 6_000 : 10_000);
        Thread.sleep(Math.max(0, to + 1_000 - System.currentTimeMillis()));
        long switchLogged = ProcessProbes.logTime(busbar.process(), "active server primary -> secondary", kill);
        report.figure("failover_ms", Long.toString(failoverMs));
        if (switchLogged > 0) {
            report.figure("failover_switch_logged_ms", Long.toString(switchLogged - kill));
        }
        report.row("failover", "kill -9 primary → first secondary reading at Kafka, ms", failoverMs < 0
                ? "none in " + timeoutS + " s" : Long.toString(failoverMs),
                "≤ 1,000", failoverMs >= 0 ? verdictAtMost(failoverMs, 1000) : "MISSED");
        if (switchLogged > 0) {
            report.row("", "  of which: kill → Busbar logs the switch, ms", Long.toString(switchLogged - kill), "", "");
        }
        if (first != null) {
            report.figure("failover_after_source_ms", Long.toString(busbarPartMs));
            report.row("", "  the reading's source time " + (first.sourceMs() - kill) + " ms after the kill; from max(kill, it)"
                    + " to Kafka, ms", Long.toString(busbarPartMs), "", "");
        }
        int at = report.rows.size();
        report.progress(String.format("failover: %s ms to the first secondary reading at Kafka; switch logged after %d ms",
                failoverMs < 0 ? "none" : Long.toString(failoverMs), switchLogged < 0 ? -1 : switchLogged - kill));
        report.defer(() -> {
            ReadingTracker.Completeness c = tracker.completeness(from, to, intervalMs, servers.tags());
            long[] span = tracker.missingSpan(from, to, intervalMs, servers.tags());
            report.figure("lost", Long.toString(c.missing));
            report.figure("duplicates", Long.toString(c.duplicates));
            List<String[]> add = new ArrayList<>();
            add.add(new String[] {"", "  lost: not at Kafka by the end of the run, source times kill−" + (kill - from) / 1000
                    + " s .. kill+" + (to - kill) / 1000 + " s (" + fmt(c.expected) + " expected)", fmt(c.missing), "0",
                    c.missing == 0 ? "met" : "MISSED by " + fmt(c.missing)});
            if (c.missing > 0) {
                add.add(new String[] {"", "  missing source times", Instant.ofEpochMilli(span[0]) + " .. "
                        + Instant.ofEpochMilli(span[1]) + " (kill at " + Instant.ofEpochMilli(kill) + ")", "", ""});
            }
            add.add(new String[] {"", "  duplicates over the same window", fmt(c.duplicates), "0",
                    c.duplicates == 0 ? "met" : "MISSED by " + fmt(c.duplicates)});
            report.rows.addAll(at, add);
            report.progress(String.format("failover: lost %d, duplicates %d (counted at the end)", c.missing, c.duplicates));
        });
    }
}
