package io.busbar.support.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A service outside the JVM that a test class needs on the loopback address (Mosquitto, PostgreSQL,
 * InfluxDB: {@code .ci/run} starts them). Register it with a static {@code @RegisterExtension}: the
 * class is skipped, saying what to start, where nothing accepts connections on the port. {@link
 * #accepts} is the one connection check for tests that only ask, or wait for a child's port.
 */
public record LocalService(String name, int port, String toRun) implements BeforeAllCallback {

    public static final String HOST = "127.0.0.1";
    private static final Duration CHECK_TIMEOUT = Duration.ofMillis(500);

    /** @param toRun what the skip message tells the reader to do, e.g. "start it to run these tests" */
    public static LocalService required(String name, int port, String toRun) {
        return new LocalService(name, port, toRun);
    }

    public String host() {
        return HOST;
    }

    /** {@code host:port}, for URLs. */
    public String address() {
        return HOST + ":" + port;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(accepts(HOST, port, CHECK_TIMEOUT), name + " is not listening on " + address() + "; " + toRun);
    }

    /** Whether a TCP connection to the port succeeds within the timeout (the connection is closed at once). */
    public static boolean accepts(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
