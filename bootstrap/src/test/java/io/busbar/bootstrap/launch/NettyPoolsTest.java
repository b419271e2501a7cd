package io.busbar.bootstrap.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chunk size is read once per JVM when Netty's allocator initialises, so the cases that check
 * Netty itself run in a JVM of their own (this test JVM may have initialised it already).
 */
class NettyPoolsTest {

    @Test
    void withoutAGivenValue_setsOneMibChunks() {
        Properties system = new Properties();
        assertThat(NettyPools.apply(system)).isTrue();
        assertThat(system.getProperty("io.netty.allocator.maxOrder")).isEqualTo("7");
    }

    @Test
    void aGivenValue_isKept() {
        Properties system = new Properties();
        system.setProperty("io.netty.allocator.maxOrder", "9");
        assertThat(NettyPools.apply(system)).isFalse();
        assertThat(system.getProperty("io.netty.allocator.maxOrder")).isEqualTo("9");
    }

    @Test
    void nettysAllocator_makesOneMibChunks_whenAppliedFirst() throws Exception {
        assertThat(runWith()).containsExactly("chunk=1048576");
    }

    @Test
    void nettysAllocator_keepsAChunkSizeGivenAtLaunch() throws Exception {
        assertThat(runWith("-Dio.netty.allocator.maxOrder=8")).containsExactly("chunk=2097152");
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
        return output.lines().filter(line -> line.startsWith("chunk=")).toList();
    }

    /** The JVM under test: applies the setting as main does, then asks Netty's default allocator. */
    static final class Child {
        public static void main(String[] args) {
            NettyPools.apply(System.getProperties());
            System.out.println("chunk=" + PooledByteBufAllocator.DEFAULT.metric().chunkSize());
        }
    }
}
