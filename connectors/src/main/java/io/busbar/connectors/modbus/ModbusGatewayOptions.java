package io.busbar.connectors.modbus;

import io.busbar.connectors.poll.PollCycle;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModbusGateway} reaches its Modbus TCP gateway (or a meter with its own Ethernet port).
 *
 * @param host           the gateway's host name or address
 * @param port           its Modbus TCP port, 502 by default
 * @param poll           the polling cycle, timeout, wait and retries
 * @param connectTimeout how long opening the TCP connection may take
 */
public record ModbusGatewayOptions(String host, int port, PollCycle poll, Duration connectTimeout) {

    public static final String SCHEME = "modbus-tcp";
    public static final int DEFAULT_PORT = 502;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    public ModbusGatewayOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(poll, "poll");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }

    /** From an endpoint such as {@code modbus-tcp://gw-1:502}. */
    public static ModbusGatewayOptions of(String endpoint, PollCycle poll) {
        URI uri = URI.create(endpoint);
        if (!SCHEME.equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a Modbus endpoint must be modbus-tcp://host[:port], was " + endpoint);
        }
        // a connection attempt is one of the cycle's tries: it gets the poll timeout, at most the default
        Duration connect = poll.timeout().compareTo(DEFAULT_CONNECT_TIMEOUT) < 0 ? poll.timeout() : DEFAULT_CONNECT_TIMEOUT;
        return new ModbusGatewayOptions(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), poll, connect);
    }

    public String endpointUrl() {
        return SCHEME + "://" + host + ":" + port;
    }
}
