package io.busbar.interop;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-opcua meter server, ready to run: Node.js and npm found on the PATH, the script and its
 * locked packages installed ({@code npm ci}) under {@code target/node}, once per test JVM and again
 * only when the lock file changed.
 *
 * <p>Where this cannot be had (no Node.js, no npm, an install that fails offline) the calling test
 * is skipped with the reason, never failed: the interop tests prove something only where a second
 * stack can run, and Busbar's own tests cover the rest.
 */
final class NodeInstall {

    private static final Logger LOG = LoggerFactory.getLogger(NodeInstall.class);
    static final String SCRIPT = "meter-server.js";
    private static final List<String> SOURCES = List.of("package.json", "package-lock.json", SCRIPT);
    /**
     * What the locked packages need (@peculiar/x509, @ster5/global-mutex: node >= 20). Debian 12's
     * own nodejs package is 18: there the tests skip.
     */
    private static final int MIN_NODE_MAJOR = 20;
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(20);
    /** A cold npm cache downloads about 140 packages (70 MB unpacked). */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private static Installed installed;
    private static String skipReason;

    private NodeInstall() {}

    /** What the tests start: {@code node <script>}. */
    record Installed(String node, Path script) {}

    /** Installs on first use; skips the calling test (JUnit assumption) if that is impossible. */
    static synchronized Installed require() {
        return installed().orElseGet(() -> abort(skipReason));
    }

    /**
     * Installs on first use; empty if that is impossible. For {@code @BeforeAll}: a test class
     * aborted there is reported with no tests and no reason, so each test calls {@link #require()}.
     */
    static synchronized Optional<Installed> installed() {
        if (installed == null && skipReason == null) {
            try {
                installed = install();
            } catch (Unavailable e) {
                skipReason = e.getMessage();
                LOG.warn("node-opcua interop tests skipped: {}", skipReason);
            }
        }
        return Optional.ofNullable(installed);
    }

    private static Installed install() throws Unavailable {
        Path sources = directory("busbar.interop.node.sources");
        Path work = directory("busbar.interop.node.work");
        String nodeVersion = version("node");
        int major = Integer.parseInt(nodeVersion.replaceFirst("^v", "").split("\\.")[0]);
        if (major < MIN_NODE_MAJOR) {
            throw new Unavailable("Node.js " + nodeVersion + " is older than " + MIN_NODE_MAJOR + ", which node-opcua needs");
        }
        String npmVersion = version("npm");
        try {
            Files.createDirectories(work);
            boolean lockChanged = !sameContent(sources.resolve("package-lock.json"), work.resolve("package-lock.json"));
            for (String file : SOURCES) {
                Files.copy(sources.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            if (lockChanged || !Files.exists(work.resolve("node_modules/.package-lock.json"))) {
                LOG.info("installing the node-opcua meter server in {} (node {}, npm {})", work, nodeVersion, npmVersion);
                npmCi(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + work, e);
        }
        return new Installed("node", work.resolve(SCRIPT));
    }

    /** {@code --prefer-offline}: the npm cache answers when it can, so CI reinstalls without the registry. */
    private static void npmCi(Path work) throws Unavailable, IOException {
        Path log = work.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!waitFor(npm, INSTALL_TIMEOUT)) {
            throw new Unavailable("npm ci in " + work + " did not finish within " + INSTALL_TIMEOUT + " (offline?): " + tail(log));
        }
        if (npm.exitValue() != 0) {
            throw new Unavailable("npm ci in " + work + " failed with exit code " + npm.exitValue() + ": " + tail(log));
        }
    }

    private static String version(String command) throws Unavailable {
        try {
            Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!waitFor(process, VERSION_TIMEOUT) || process.exitValue() != 0) {
                throw new Unavailable("'" + command + " --version' failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new Unavailable(command + " is not on the PATH (" + e.getMessage() + ")");
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return false;
    }

    private static Path directory(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (the interop pom sets it for surefire)");
        }
        return Path.of(value);
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        return Files.exists(b) && Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** Why the meter server cannot run here; turned into a skipped test. */
    private static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }
}
