package io.busbar.connectors.opcua.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.OpcUaSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A hung server: the port accepts and connections stay open, but nothing is answered. */
class HangTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private final SimulatedScadaServer server =
            SimulatedScadaServer.builder().applicationName("hang").meterCount(1).hangable(true).build();

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void hung_requestsTimeOutOnTheOpenConnection_thenAnsweredAgainWhenUnhung() throws Exception {
        server.start();
        // a keep-alive failing would make the client reconnect: keep it out of the observation
        try (MiloProbe probe = MiloProbe.connect(server,
                options -> options.requestTimeout(REQUEST_TIMEOUT).keepAliveInterval(Duration.ofMinutes(5)))) {
            // the first requests of a cold JVM can outlast the short timeout on a loaded machine: wait for an answer
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> probe.read(OpcUaSource.SERVICE_LEVEL_NODE_ID).statusCode().isGood());
            int accepted = server.acceptedConnections();

            server.hang();
            Instant asked = Instant.now();

            assertThatThrownBy(() -> probe.read(OpcUaSource.SERVICE_LEVEL_NODE_ID))
                    .isInstanceOfSatisfying(UaException.class,
                            e -> assertThat(e.getStatusCode().value()).isEqualTo(StatusCodes.Bad_Timeout));
            assertThat(Duration.between(asked, Instant.now())).isLessThan(REQUEST_TIMEOUT.multipliedBy(5));
            assertThat(server.openConnections()).as("the connection stays up").isPositive();
            assertThat(server.acceptedConnections()).as("no reconnect was needed").isEqualTo(accepted);

            server.unhang();

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> probe.read(OpcUaSource.SERVICE_LEVEL_NODE_ID).statusCode().isGood());
        }
    }

    @Test
    void hung_newConnectionIsAcceptedButItsHelloUnanswered_untilUnhung() throws Exception {
        server.start();
        server.hang();
        try (Socket socket = new Socket(SimulatedScadaServer.DEFAULT_HOSTNAME, server.port())) {
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            socket.getOutputStream().write(hello(server.endpointUrl()));

            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            server.unhang();
            socket.setSoTimeout(10_000);
            assertThat(readMessageType(socket.getInputStream())).as("the held Hello is answered").isEqualTo("ACK");
        }
    }

    @Test
    void serverNotBuiltHangableRefusesToHang() {
        SimulatedScadaServer plain = SimulatedScadaServer.builder().applicationName("plain").build();

        assertThatThrownBy(plain::hang).isInstanceOf(IllegalStateException.class).hasMessageContaining("hangable(true)");
    }

    /** An OPC UA TCP Hello message (Part 6 §7.1.2.3). */
    private static byte[] hello(String endpointUrl) {
        byte[] url = endpointUrl.getBytes(StandardCharsets.UTF_8);
        int size = 8 + 5 * 4 + 4 + url.length;
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN)
                .put("HELF".getBytes(StandardCharsets.US_ASCII))
                .putInt(size)
                .putInt(0) // protocol version
                .putInt(65_536) // receive buffer size
                .putInt(65_536) // send buffer size
                .putInt(0) // max message size: no limit
                .putInt(0) // max chunk count: no limit
                .putInt(url.length)
                .put(url)
                .array();
    }

    private static String readMessageType(InputStream in) throws IOException {
        byte[] type = in.readNBytes(3);
        return new String(type, StandardCharsets.US_ASCII);
    }
}
