package io.busbar.bench;

import static io.busbar.bench.Report.fmt;
import static io.busbar.bench.Report.pct;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: a bare Milo client (its own process) subscribed to both load servers counts what
 * the primary delivers, the most any OPC UA client gets from these servers on this machine.
 */
final class CeilingScenario {

    private final Bench bench;

    CeilingScenario(Bench bench) {
        this.bench = bench;
    }

    void run(LoadServers servers, long intervalMs) throws Exception {
        Report report = bench.report;
        int ceilingS = bench.settings.ceilingS;
        long sampling = Math.max(1, intervalMs / 2);
        JavaProcess client = bench.launcher.startJava("ceiling-client", List.of("-Xmx1g"), "io.busbar.bench.CeilingClient",
                "--endpoints", servers.primaryEndpoint() + "," + servers.secondaryEndpoint(),
                "--tags", Integer.toString(servers.tags()), "--publishing-ms", Long.toString(intervalMs),
                "--sampling-ms", Long.toString(sampling), "--interval-ms", Long.toString(intervalMs),
                "--warmup-s", "3", "--duration-s", Integer.toString(ceilingS));
        client.awaitLine("subscribed_ms", Duration.ofSeconds(120));
        Thread.sleep(3_000);
        Cpu cpu = Cpu.start(List.of(servers.primary(), servers.secondary(), client));
        long from = System.currentTimeMillis();
        client.process.waitFor(ceilingS + 60L, TimeUnit.SECONDS);
        long to = System.currentTimeMillis();
        Map<String, Double> cores = cpu.cores(List.of(servers.primary(), servers.secondary()));
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : client.keyValues()) {
            kv.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        // the client is gone by now: what it used is not in the machine's busy time of other processes
        cores.put("driver", cores.get("driver") + Double.parseDouble(kv.getOrDefault("client_cpu_cores", "0")));
        if (!kv.containsKey("primary_values_per_s")) {
            throw new IllegalStateException("the ceiling client printed no result; see " + client.stderr + "\n"
                    + JavaProcess.tail(client.stderr, 15));
        }
        double ceiling = Double.parseDouble(kv.get("primary_values_per_s"));
        report.figure("ceiling_readings_per_s", String.format(Locale.ROOT, "%.0f", ceiling));
        report.figure("ceiling_secondary_values_per_s", kv.get("secondary_values_per_s"));
        report.figure("ceiling_latency_p99_ms", kv.get("primary_latency_p99_ms"));
        report.figure("ceiling_subscribe_ms", kv.get("subscribed_ms"));
        report.row("ceiling", "bare Milo client, values/s from the primary (both servers subscribed)", fmt(ceiling),
                "", "");
        report.row("", "  offered per server", fmt(servers.tags() * 1000.0 / intervalMs), "", "");
        report.row("", "  latency source→client p50 / p99 / max ms", kv.get("primary_latency_p50_ms") + " / "
                + kv.get("primary_latency_p99_ms") + " / " + kv.get("primary_latency_max_ms"), "", "");
        report.row("", "  CPU cores: client / primary / secondary", String.format(Locale.ROOT, "%.2f / %.2f / %.2f",
                Double.parseDouble(kv.getOrDefault("client_cpu_cores", "0")), cores.get(servers.primary().name),
                cores.get(servers.secondary().name)), "", "");
        report.row("", "  " + servers.tags() + " monitored items created in ms", kv.get("subscribed_ms"), "", "");
        report.row("", "  server updates published / slots begun (primary)",
                pct(ProcessProbes.serverKeptUp(servers.primary(), from, to)), "", "");
        report.row("", "  CPU cores used by other processes on this machine", String.format(Locale.ROOT, "%.2f",
                cpu.foreignCores(cores)), "", "");
        report.progress(String.format("ceiling: %,.0f values/s from the primary (%s from the secondary), p99 %s ms",
                ceiling, kv.get("secondary_values_per_s"), kv.get("primary_latency_p99_ms")));
    }
}
