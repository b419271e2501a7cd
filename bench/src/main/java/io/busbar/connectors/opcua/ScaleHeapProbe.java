package io.busbar.connectors.opcua;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The heap a pair holds per tag before any value arrives, measured without a network or a load
 * (bench/scale-heap): its mapping as the scale scenario writes it (meters of an energy and a power
 * register), combined as a config's pair, and both servers' subscriptions of its nodes as built
 * before they are created on a server (Milo's server-side state of an item comes on top). Retained
 * heap after full collections, divided by the tags: the figure the load of a shared machine does
 * not move, where the scale scenario's heap live also holds the backlog of a Busbar that fell behind.
 */
public class ScaleHeapProbe {
    public static void main(String[] args) throws Exception {
        int tags = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("scale-probe");
        StringBuilder m = new StringBuilder("meters:\n");
        for (int meter = 1; meter <= tags / 2; meter++) {
            m.append("  - id: ").append(String.format("Meter%05d", meter)).append("\n    registers:\n")
                    .append("      - node: \"ns=2;s=Meter").append(String.format("%05d", meter)).append(".Energy\"\n")
                    .append("        quantity: \"1-0:1.8.0\"\n        unit: kWh\n        scale: 0.001\n")
                    .append("      - node: \"ns=2;s=Meter").append(String.format("%05d", meter)).append(".Power\"\n")
                    .append("        quantity: \"1-0:1.7.0\"\n        unit: kW\n");
        }
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, m);
        long base = used();
        Mapping mapping = Mapping.combine("bench", List.of(MappingFile.load("bench", file, "bench.yaml")));
        long afterMapping = used();
        OpcUaSourceOptions options = OpcUaSourceOptions.builder("opc.tcp://127.0.0.1:1/probe").build();
        MonitoredSubscription primary = new MonitoredSubscription("primary", mapping.nodeIds(), b -> { }, () -> { }, options);
        MonitoredSubscription secondary = new MonitoredSubscription("secondary", mapping.nodeIds(), b -> { }, () -> { }, options);
        long afterItems = used();
        System.out.printf("tags=%d mapping_bytes_per_tag=%d subscriptions_bytes_per_tag=%d (both servers' items, before creation on a server)%n",
                tags, (afterMapping - base) / tags, (afterItems - afterMapping) / tags);
        java.lang.ref.Reference.reachabilityFence(mapping);
        java.lang.ref.Reference.reachabilityFence(primary);
        java.lang.ref.Reference.reachabilityFence(secondary);
    }

    static long used() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
