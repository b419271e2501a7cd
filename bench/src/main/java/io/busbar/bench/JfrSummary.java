package io.busbar.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording the way the bench report needs it: where the CPU goes (execution
 * samples by thread, by component = the first non-JDK frame from the top of the stack, by
 * method), which Busbar methods are on the stack (inclusive), what allocates, and GC.
 *
 * <pre>JfrSummary busbar.jfr [top]</pre>
 */
public final class JfrSummary {

    /** Package prefix → component, most specific first. */
    private static final String[][] COMPONENTS = {
        {"io.busbar.mappings", "Busbar mapping + wire format (io.busbar.mappings)"},
        {"io.busbar.routes", "Busbar routes (io.busbar.routes)"},
        {"io.busbar.redundancy", "Busbar redundancy (io.busbar.redundancy)"},
        {"io.busbar.connectors.target.kafka", "Busbar Kafka target"},
        {"io.busbar.connectors.opcua", "Busbar OPC UA source"},
        {"io.busbar.connectors.opcua.simulator", "simulator"},
        {"io.busbar", "Busbar other"},
        {"com.fasterxml.jackson", "Jackson (JSON)"},
        {"org.apache.activemq.artemis.core.journal", "Artemis journal"},
        {"org.apache.activemq.artemis.core.io", "Artemis journal I/O"},
        {"org.apache.activemq.artemis.core.paging", "Artemis paging"},
        {"org.apache.activemq.artemis.core.persistence", "Artemis persistence"},
        {"org.apache.activemq.artemis.core.server", "Artemis server"},
        {"org.apache.activemq.artemis.core.protocol", "Artemis core protocol"},
        {"org.apache.activemq.artemis.core.remoting", "Artemis in-VM remoting"},
        {"org.apache.activemq.artemis.core.client", "Artemis client"},
        {"org.apache.activemq.artemis.jms", "Artemis JMS client"},
        {"org.apache.activemq.artemis.utils", "Artemis utils"},
        {"org.apache.activemq.artemis.core.message", "Artemis message encoding"},
        {"org.apache.activemq.artemis", "Artemis other"},
        {"org.apache.kafka", "Kafka client"},
        {"org.eclipse.milo", "Milo (OPC UA stack)"},
        {"io.netty", "Netty"},
        {"org.apache.camel", "Camel"},
        {"org.springframework.jms", "Spring JMS"},
        {"org.springframework", "Spring"},
        {"io.micrometer", "Micrometer"},
        {"ch.qos.logback", "logging"},
        {"org.slf4j", "logging"},
        {"kafka.", "Kafka broker"},
        {"scala.", "Kafka broker (scala)"},
    };

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        summarise(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 25, System.out);
    }

    static void summarise(Path file, int top, PrintStream out) throws IOException {
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> byComponent = new HashMap<>();
        Map<String, Long> bySelf = new HashMap<>();
        Map<String, Long> byBusbarInclusive = new HashMap<>();
        Map<String, Long> allocByComponent = new HashMap<>();
        Map<String, Long> allocByFrame = new HashMap<>();
        Map<String, Long> nativeByThread = new HashMap<>();
        Map<String, Map<String, Long>> inclusiveByThread = new HashMap<>();
        long samples = 0;
        long allocTotal = 0;
        long gcCount = 0;
        Duration gcPauses = Duration.ZERO;
        Duration longestPause = Duration.ZERO;
        double cpuJvm = 0;
        double cpuMachine = 0;
        int cpuEvents = 0;
        long heapAfterGcMax = 0;
        long heapAfterGcSum = 0;
        int heapAfterGcCount = 0;
        java.time.Instant first = null;
        java.time.Instant last = null;

        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if (first == null || event.getStartTime().isBefore(first)) {
                first = event.getStartTime();
            }
            if (last == null || event.getEndTime().isAfter(last)) {
                last = event.getEndTime();
            }
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    String thread = threadGroup(event);
                    byThread.merge(thread, 1L, Long::sum);
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        byComponent.merge("(no stack)", 1L, Long::sum);
                        continue;
                    }
                    List<RecordedFrame> frames = stack.getFrames();
                    bySelf.merge(frameName(frames.get(0)), 1L, Long::sum);
                    byComponent.merge(component(frames), 1L, Long::sum);
                    Set<String> onStack = new HashSet<>();
                    Map<String, Long> threadInclusive = inclusiveByThread.computeIfAbsent(thread, k -> new HashMap<>());
                    threadInclusive.merge("", 1L, Long::sum);
                    for (RecordedFrame frame : frames) {
                        String name = frameName(frame);
                        if (onStack.add(name)) {
                            threadInclusive.merge(name, 1L, Long::sum);
                            if (name.startsWith("io.busbar.")) {
                                byBusbarInclusive.merge(name, 1L, Long::sum);
                            }
                        }
                    }
                }
                case "jdk.NativeMethodSample" -> nativeByThread.merge(threadGroup(event), 1L, Long::sum);
                case "jdk.ObjectAllocationSample" -> {
                    long weight = event.getLong("weight");
                    allocTotal += weight;
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack != null && !stack.getFrames().isEmpty()) {
                        allocByComponent.merge(component(stack.getFrames()), weight, Long::sum);
                        allocByFrame.merge(firstNonJdk(stack.getFrames()), weight, Long::sum);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    Duration pause = event.getDuration("sumOfPauses");
                    gcPauses = gcPauses.plus(pause);
                    if (pause.compareTo(longestPause) > 0) {
                        longestPause = pause;
                    }
                }
                case "jdk.CPULoad" -> {
                    cpuJvm += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                    cpuMachine += event.getFloat("machineTotal");
                    cpuEvents++;
                }
                case "jdk.GCHeapSummary" -> {
                    if ("After GC".equals(event.getString("when"))) {
                        long used = event.getLong("heapUsed");
                        heapAfterGcMax = Math.max(heapAfterGcMax, used);
                        heapAfterGcSum += used;
                        heapAfterGcCount++;
                    }
                }
                default -> {
                }
            }
        }
        double seconds = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
        out.printf("JFR %s: %.0f s, %d execution samples (Java code running; threads in native code or"
                + " blocked are not sampled), %d native-method samples%n", file.getFileName(), seconds, samples,
                nativeByThread.values().stream().mapToLong(Long::longValue).sum());
        if (cpuEvents > 0) {
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf("CPU (jdk.CPULoad, fraction of %d cores): this JVM %.0f%% = %.2f cores; whole machine %.0f%%%n",
                    cores, 100 * cpuJvm / cpuEvents, cores * cpuJvm / cpuEvents, 100 * cpuMachine / cpuEvents);
        }
        out.printf("GC: %d collections, %d ms paused in total (%.1f%% of the time), longest %d ms; heap after GC"
                        + " avg %d MB, max %d MB%n", gcCount, gcPauses.toMillis(),
                seconds == 0 ? 0 : 100 * gcPauses.toMillis() / 1000.0 / seconds, longestPause.toMillis(),
                heapAfterGcCount == 0 ? 0 : heapAfterGcSum / heapAfterGcCount / (1024 * 1024),
                heapAfterGcMax / (1024 * 1024));
        if (allocTotal > 0 && seconds > 0) {
            out.printf("Allocation (sampled estimate): %.0f MB/s%n", allocTotal / seconds / (1024 * 1024));
        }
        print(out, "CPU samples by thread (digits → #)", byThread, samples, top);
        print(out, "CPU samples by component (first non-JDK frame from the top of the stack)", byComponent, samples, top);
        print(out, "CPU samples by method (self: the top frame)", bySelf, samples, top);
        print(out, "Busbar methods on the stack (inclusive)", byBusbarInclusive, samples, top);
        // what the busiest threads do: methods on their stacks, without the frames (nearly) all share
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                .forEach(e -> {
                    Map<String, Long> inclusive = new HashMap<>(inclusiveByThread.getOrDefault(e.getKey(), Map.of()));
                    long threadSamples = inclusive.getOrDefault("", 0L);
                    inclusive.remove("");
                    inclusive.values().removeIf(count -> count > 0.9 * threadSamples);
                    inclusive.keySet().removeIf(name -> isJdk(name) || name.contains("$$Lambda"));
                    print(out, String.format("Thread %s (%.1f%% of all samples): methods on its stack, %% of the"
                                    + " thread's samples", e.getKey(), 100.0 * e.getValue() / Math.max(1, samples_(byThread))),
                            inclusive, threadSamples, 18);
                });
        print(out, "Allocation by component (sampled weight)", allocByComponent, allocTotal, 12);
        print(out, "Allocation by first non-JDK frame (sampled weight)", allocByFrame, allocTotal, 12);
    }

    private static long samples_(Map<String, Long> byThread) {
        return byThread.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void print(PrintStream out, String title, Map<String, Long> counts, long total, int top) {
        if (total == 0 || counts.isEmpty()) {
            return;
        }
        out.println();
        out.println(title + ":");
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((name, count) -> out.printf("  %5.1f%%  %s%n", 100.0 * count / total, name));
    }

    private static String threadGroup(RecordedEvent event) {
        var thread = event.getThread("sampledThread");
        if (thread == null) {
            thread = event.getThread();
        }
        String name = thread == null ? "?" : thread.getJavaName();
        if (name == null) {
            name = thread.getOSName();
        }
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    private static String frameName(RecordedFrame frame) {
        if (frame.getMethod() == null || frame.getMethod().getType() == null) {
            return "?";
        }
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static boolean isJdk(String name) {
        return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("javax.")
                || name.startsWith("com.sun.") || name.equals("?");
    }

    private static String firstNonJdk(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = frameName(frame);
            if (!isJdk(name)) {
                return name;
            }
        }
        return "JDK only: " + frameName(frames.get(0));
    }

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = frameName(frame);
            if (isJdk(name)) {
                continue;
            }
            String best = null;
            int bestLength = -1;
            for (String[] c : COMPONENTS) {
                if (name.startsWith(c[0]) && c[0].length() > bestLength) {
                    best = c[1];
                    bestLength = c[0].length();
                }
            }
            return best != null ? best : name.substring(0, Math.max(0, name.lastIndexOf('.', name.lastIndexOf('.') - 1)));
        }
        String top = frameName(frames.get(0));
        return "JDK only (" + top.substring(0, Math.max(0, top.lastIndexOf('.'))) + ")";
    }
}
