package io.busbar.bench;

import static io.busbar.bench.Report.fmt;
import static io.busbar.bench.Report.verdictAtLeast;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drain: kill -9 of the Kafka broker for {@code outage-s}, restart; readings/s while the backlog
 * drains, the time until readings arrive at normal latency again, and (counted at the end of the
 * run) readings lost or duplicated over the outage.
 */
final class DrainScenario {

    private final Bench bench;

    DrainScenario(Bench bench) {
        this.bench = bench;
    }

    void run(RunningBusbar busbar, int tagCount, long intervalMs, long steadyP99) throws Exception {
        Report report = bench.report;
        ReadingTracker tracker = bench.tracker;
        KafkaBroker kafka = bench.kafka;
        int outageS = bench.settings.outageS;
        int catchUpTimeoutS = bench.settings.catchUpTimeoutS;
        long threshold = Math.max(2 * steadyP99, intervalMs + 1_000);
        String before = BusbarSetup.scrape(busbar.httpPort());
        long down = System.currentTimeMillis();
        kafka.kill9();
        report.progress("drain: killed the Kafka broker (kill -9) for " + outageS + " s");
        Thread.sleep(outageS * 1000L);
        String atRestart = BusbarSetup.scrape(busbar.httpPort());
        long restart = System.currentTimeMillis();
        kafka.start();
        bench.launcher.track(kafka.process());
        long up = System.currentTimeMillis();
        CompletableFuture<Long> resumed = tracker.watchLatencyBelow(Long.MAX_VALUE, up);
        CompletableFuture<Long> caughtUp = tracker.watchLatencyBelow(threshold, up);
        report.progress(String.format("drain: Kafka back after %.1f s down (restart took %d ms); waiting for the backlog",
                (up - down) / 1000.0, up - restart));
        Long resumedAt = null;
        Long caughtUpAt = null;
        try {
            caughtUpAt = caughtUp.get(catchUpTimeoutS, TimeUnit.SECONDS);
            resumedAt = resumed.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            resumedAt = resumed.getNow(null);
            report.note("drain: not caught up within " + catchUpTimeoutS + " s of Kafka's restart");
        }
        long end = caughtUpAt != null ? caughtUpAt : System.currentTimeMillis();
        double backlog = BusbarSetup.metric(atRestart, "busbar_source_forwarded_total", "")
                - BusbarSetup.metric(before, "busbar_source_forwarded_total", "");
        long drained = resumedAt == null ? 0 : tracker.window(resumedAt, end).count;
        double drainSeconds = resumedAt == null ? 0 : Math.max(1, (end - resumedAt)) / 1000.0;
        double drainRate = drainSeconds == 0 ? 0 : drained / drainSeconds;
        double ingest = tagCount * 1000.0 / intervalMs;
        report.figure("drain_readings_per_s", String.format(Locale.ROOT, "%.0f", drainRate));
        report.figure("drain_catch_up_s", caughtUpAt == null ? "-1"
                : String.format(Locale.ROOT, "%.1f", (caughtUpAt - up) / 1000.0));
        report.figure("drain_resume_after_up_ms", resumedAt == null ? "-1" : Long.toString(resumedAt - up));
        report.figure("drain_outage_s", String.format(Locale.ROOT, "%.1f", (up - down) / 1000.0));
        report.figure("drain_backlog_readings", String.format(Locale.ROOT, "%.0f", backlog));
        // lost/duplicates over the outage: counted at the end of the run
        report.row("drain", String.format("Kafka killed for %d s (+ %.0f s restart): readings/s while draining", outageS,
                (up - restart) / 1000.0), fmt(drainRate),
                "≥ 2 × ingest = " + fmt(2 * ingest), verdictAtLeast(drainRate, 2 * ingest));
        report.row("", "  time from Kafka up to caught up (latency ≤ " + threshold + " ms), s", caughtUpAt == null
                ? "> " + catchUpTimeoutS : String.format(Locale.ROOT, "%.1f", (caughtUpAt - up) / 1000.0), "", "");
        report.row("", "  of which: Kafka up → first delivery, ms", resumedAt == null ? "none" : Long.toString(resumedAt - up),
                "", "");
        report.row("", "  backlog when Kafka came back (readings made durable meanwhile)",
                Double.isNaN(backlog) ? "? (no metrics)" : fmt(backlog), "", "");
        int at = report.rows.size();
        long lossFrom = down - 5_000;
        // source times up to Kafka's return, but only those that had time to arrive by the catch-up
        long lossTo = caughtUpAt == null ? up : Math.min(up, caughtUpAt - threshold);
        report.defer(() -> {
            ReadingTracker.Completeness c = tracker.completeness(lossFrom, lossTo, intervalMs, tagCount);
            report.figure("drain_lost", Long.toString(c.missing));
            report.figure("drain_duplicates", Long.toString(c.duplicates));
            report.rows.add(at, new String[] {"", "  undelivered (still buffered, or lost) by the end of the run / duplicates,"
                    + " source times kill−5 s .. Kafka up (" + fmt(c.expected) + " expected)", fmt(c.missing) + " / "
                    + fmt(c.duplicates), "0 / 0", c.missing == 0 && c.duplicates == 0 ? "met" : "MISSED"});
        });
        report.progress(String.format("drain: %,.0f readings/s, caught up %s s after Kafka was back", drainRate,
                report.figures.get("drain_catch_up_s")));
    }
}
