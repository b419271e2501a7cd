package io.busbar.bench;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;

/**
 * The ceiling: a bare Eclipse Milo client that subscribes to the same tags on the same servers the
 * way Busbar does (one subscription per server with every tag, same sampling and publishing
 * intervals, queue size and data change trigger) and only counts what arrives: no mapping, no
 * durability, no target. What it receives per second from one server is the most any OPC UA
 * connector can forward on this machine with these servers.
 *
 * <pre>CeilingClient --endpoints opc.tcp://127.0.0.1:4840/busbar,opc.tcp://127.0.0.1:4841/busbar
 *     --tags 10000 --publishing-ms 100 --sampling-ms 50 --warmup-s 5 --duration-s 20</pre>
 *
 * Prints key=value lines on stdout; the first endpoint is the one the ceiling is taken from.
 */
public final class CeilingClient {

    private static final DataChangeFilter EVERY_SOURCE_TIMESTAMP = new DataChangeFilter(
            DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);

    private CeilingClient() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String[] endpoints = args.required("endpoints").split(",");
        int tags = args.getInt("tags", 10_000);
        long publishingMs = args.getLong("publishing-ms", 100);
        long samplingMs = args.getLong("sampling-ms", publishingMs / 2);
        int queueSize = args.getInt("queue-size", 10);
        long warmupMs = args.getLong("warmup-s", 5) * 1000;
        long durationMs = args.getLong("duration-s", 20) * 1000;

        List<String> nodeIds = SimulatedScadaServer.nodeIds(tags / 2);
        List<Counter> counters = new ArrayList<>();
        List<OpcUaClient> clients = new ArrayList<>();
        long createMs = 0;
        for (String endpoint : endpoints) {
            Counter counter = new Counter();
            counters.add(counter);
            long t0 = System.nanoTime();
            OpcUaClient client = OpcUaClient.create(endpoint);
            client.connect();
            clients.add(client);
            OpcUaSubscription subscription = new OpcUaSubscription(client, (double) publishingMs);
            for (String nodeId : nodeIds) {
                OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(nodeId));
                item.setSamplingInterval((double) samplingMs);
                item.setQueueSize(uint(queueSize));
                item.setFilter(EVERY_SOURCE_TIMESTAMP);
                subscription.addMonitoredItem(item);
            }
            subscription.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
                @Override
                public void onDataReceived(OpcUaSubscription s, List<OpcUaMonitoredItem> items, List<DataValue> values) {
                    counter.received(values);
                }
            });
            subscription.create();
            subscription.createMonitoredItems();
            createMs = Math.max(createMs, (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.printf("subscribed_ms=%d%n", createMs);
        System.out.flush();

        Thread.sleep(warmupMs);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        counters.forEach(Counter::startWindow);
        long windowStart = System.nanoTime();
        long cpuStart = os.getProcessCpuTime();
        Thread.sleep(durationMs);
        counters.forEach(Counter::endWindow);
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        System.out.printf("client_cpu_cores=%.2f%n", (os.getProcessCpuTime() - cpuStart) / 1e9 / seconds);

        for (int i = 0; i < counters.size(); i++) {
            Counter c = counters.get(i);
            String prefix = i == 0 ? "primary" : i == 1 ? "secondary" : "server" + i;
            System.out.printf("%s_values_per_s=%.0f%n", prefix, c.windowCount / seconds);
            System.out.printf("%s_latency_p50_ms=%d%n", prefix, c.windowLatency.percentile(0.50));
            System.out.printf("%s_latency_p99_ms=%d%n", prefix, c.windowLatency.percentile(0.99));
            System.out.printf("%s_latency_max_ms=%d%n", prefix, c.windowLatency.max());
            System.out.printf("%s_publishes_per_s=%.1f%n", prefix, c.windowPublishes / seconds);
        }
        System.out.printf("offered_per_server_per_s=%.0f%n", tags * 1000.0 / args.getLong("interval-ms", publishingMs));
        System.out.flush();
        for (OpcUaClient client : clients) {
            try {
                client.disconnect();
            } catch (Exception e) {
                // ending anyway
            }
        }
        System.exit(0);
    }

    /** Counts one server's values; Milo delivers one subscription's publishes one at a time. */
    private static final class Counter {
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong publishes = new AtomicLong();
        private volatile boolean inWindow;
        private final Histogram latency = new Histogram();
        private long startTotal;
        private long startPublishes;
        long windowCount;
        long windowPublishes;
        Histogram windowLatency = new Histogram();

        void received(List<DataValue> values) {
            total.addAndGet(values.size());
            publishes.incrementAndGet();
            if (inWindow) {
                long now = System.currentTimeMillis();
                synchronized (latency) {
                    for (DataValue value : values) {
                        if (value.getSourceTime() != null) {
                            latency.record(now - value.getSourceTime().getJavaTime());
                        }
                    }
                }
            }
        }

        void startWindow() {
            startTotal = total.get();
            startPublishes = publishes.get();
            inWindow = true;
        }

        void endWindow() {
            inWindow = false;
            windowCount = total.get() - startTotal;
            windowPublishes = publishes.get() - startPublishes;
            synchronized (latency) {
                windowLatency = new Histogram();
                windowLatency.add(latency);
            }
        }
    }
}
