package io.busbar.bench;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.time.Duration;

/**
 * One OPC UA server of the load pair, in its own process so the driver can kill -9 it: a {@link
 * SimulatedScadaServer} with {@code --tags} variables (two per meter: Energy and Power) that all
 * change every {@code --interval-ms}, i.e. tags × 1000 / interval values per second. Values are a
 * pure function of (meter, slot), so a primary and a secondary started apart publish identical
 * readings and answer HistoryRead for them. Updates are pushed to the monitored items (one
 * notification per update, no sampling cost, like a server reporting by exception); {@code
 * --sampled} lets Milo's subscription model sample them instead, at the client's sampling interval.
 *
 * <pre>LoadServer --name primary --port 4840 --tags 10000 --interval-ms 100</pre>
 *
 * Prints {@code READY <endpoint>} on stdout once it accepts connections, then runs until killed.
 */
public final class LoadServer {

    private LoadServer() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int tags = args.getInt("tags", 10_000);
        if (tags < 2 || tags % 2 != 0) {
            throw new IllegalArgumentException("--tags must be an even number >= 2 (two tags per meter), was " + tags);
        }
        long started = System.nanoTime();
        SimulatedScadaServer server = SimulatedScadaServer.builder()
                .applicationName(args.get("name", "primary"))
                .hostname(args.get("host", "127.0.0.1"))
                .port(args.getInt("port", 0))
                .meterCount(tags / 2)
                .updateInterval(Duration.ofMillis(args.getLong("interval-ms", 100)))
                .pushUpdates(!args.flag("sampled"))
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "load-server-stop"));
        System.out.printf("READY %s tags=%d interval_ms=%d start_ms=%d%n", server.endpointUrl(), tags,
                server.updateInterval().toMillis(), (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        // every 5 s: how many updates were published of the slots that began since the start
        long interval = server.updateInterval().toMillis();
        long firstSlot = Math.floorDiv(System.currentTimeMillis(), interval);
        long firstPublished = server.publishedUpdates();
        while (true) {
            Thread.sleep(5_000);
            long now = System.currentTimeMillis();
            System.out.printf("STATS t=%d published=%d elapsed=%d%n", now, server.publishedUpdates() - firstPublished,
                    Math.floorDiv(now, interval) - firstSlot);
            System.out.flush();
        }
    }
}
