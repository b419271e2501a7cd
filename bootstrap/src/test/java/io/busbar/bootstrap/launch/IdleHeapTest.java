package io.busbar.bootstrap.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each case runs {@link IdleHeap} in a JVM of its own, started with the options under test: the flags
 * it changes belong to the whole JVM, and this test JVM's own options are whatever surefire gave it.
 */
class IdleHeapTest {

    @Test
    void withoutAHeapSize_setsThePeriodicCollectionAndTheFreeRatios() throws Exception {
        assertThat(runWith("-XX:+UseG1GC")).containsExactly(
                "set {G1PeriodicGCInterval=60000, MinHeapFreeRatio=10, MaxHeapFreeRatio=30}",
                "G1PeriodicGCInterval=60000", "MinHeapFreeRatio=10", "MaxHeapFreeRatio=30");
    }

    @Test
    void aSizedHeap_isLeftAsTheOperatorSizedIt() throws Exception {
        assertThat(runWith("-XX:+UseG1GC", "-Xmx256m")).containsExactly(
                "set {}", "G1PeriodicGCInterval=0", "MinHeapFreeRatio=40", "MaxHeapFreeRatio=70");
    }

    @Test
    void aShareOfTheMemory_countsAsSized() throws Exception {
        assertThat(runWith("-XX:+UseG1GC", "-XX:MaxRAMPercentage=75")).first().isEqualTo("set {}");
    }

    @Test
    void aFlagGivenOnTheCommandLine_keepsItsValue() throws Exception {
        assertThat(runWith("-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=5000")).containsExactly(
                "set {MinHeapFreeRatio=10, MaxHeapFreeRatio=30}",
                "G1PeriodicGCInterval=5000", "MinHeapFreeRatio=10", "MaxHeapFreeRatio=30");
    }

    @Test
    void anotherCollector_isLeftAlone() throws Exception {
        assertThat(runWith("-XX:+UseSerialGC")).first().isEqualTo("set {}");
    }

    @Test
    void startUpGarbage_isCollectedOnce_andTheHeapShrinks_whenUnsized() throws Exception {
        // 300 MB of short-lived start-up allocations, 20 MB still live, as a Spring start leaves them
        List<String> lines = runChild(StartUpChild.class, "-XX:+UseG1GC", "-Xlog:disable");
        assertThat(lines.get(0)).isEqualTo("collected true");
        long before = Long.parseLong(lines.get(1).substring("committed before ".length()));
        long after = Long.parseLong(lines.get(2).substring("committed after ".length()));
        assertThat(after).as("committed MB after the collection, %d before", before).isLessThan(before / 2).isLessThan(80);
    }

    @Test
    void startUpGarbage_ofASizedHeap_isLeftToTheCollector() throws Exception {
        assertThat(runChild(StartUpChild.class, "-XX:+UseG1GC", "-Xmx512m").get(0)).isEqualTo("collected false");
    }

    private static List<String> runWith(String... jvmOptions) throws IOException, InterruptedException {
        return runChild(Child.class, jvmOptions);
    }

    private static List<String> runChild(Class<?> main, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    /** The JVM under test: applies the settings, then prints what the JVM's flags are. */
    static final class Child {
        public static void main(String[] args) {
            System.out.println("set " + IdleHeap.apply());
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            for (String flag : IdleHeap.SETTINGS.keySet()) {
                System.out.println(flag + "=" + vm.getVMOption(flag).getValue());
            }
        }
    }

    /** A start-up's heap: much garbage, a little kept; then what the heap commits before and after. */
    static final class StartUpChild {
        static final List<byte[]> KEPT = new ArrayList<>();

        public static void main(String[] args) {
            var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 300; i++) {
                byte[] block = new byte[1 << 20];
                if (i % 15 == 0) {
                    KEPT.add(block);
                }
            }
            long before = memory.getHeapMemoryUsage().getCommitted() >> 20;
            boolean collected = IdleHeap.collectStartUpGarbage(IdleHeap.apply());
            System.out.println("collected " + collected);
            System.out.println("committed before " + before);
            System.out.println("committed after " + (memory.getHeapMemoryUsage().getCommitted() >> 20));
        }
    }
}
