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

    private static List<String> runWith(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
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
}
