package io.busbar.routes.plan;

import io.busbar.connectors.modbus.ModbusGatewayOptions;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.Optional;

/**
 * One server of a source pair: an OPC UA server read by subscription (the default) or by polling,
 * or a Modbus TCP gateway, which is always polled.
 *
 * @param role    primary or secondary
 * @param options how to connect to an OPC UA server (endpoint, security, intervals, timeouts); null
 *                for a Modbus gateway
 * @param poll    present when the server is polled rather than subscribed to
 * @param modbus  present for a Modbus TCP gateway
 */
public record ServerPlan(ServerRole role, OpcUaSourceOptions options, Optional<PollCycle> poll,
                         Optional<ModbusGatewayOptions> modbus) {

    /** An OPC UA server read by subscription. */
    public ServerPlan(ServerRole role, OpcUaSourceOptions options) {
        this(role, options, Optional.empty(), Optional.empty());
    }

    public ServerPlan {
        if (options == null && modbus.isEmpty()) {
            throw new IllegalArgumentException("a server needs OPC UA options or a Modbus gateway");
        }
    }

    /** An OPC UA server read by a cycle of Read requests. */
    public static ServerPlan polled(ServerRole role, OpcUaSourceOptions options, PollCycle poll) {
        return new ServerPlan(role, options, Optional.of(poll), Optional.empty());
    }

    /** A Modbus TCP gateway. */
    public static ServerPlan modbus(ServerRole role, ModbusGatewayOptions gateway) {
        return new ServerPlan(role, null, Optional.of(gateway.poll()), Optional.of(gateway));
    }

    public String endpoint() {
        return modbus.map(ModbusGatewayOptions::endpointUrl).orElseGet(() -> options.endpointUrl());
    }

    /** How often the server reports a new value at most: the poll cycle, else the publishing interval. */
    public Duration reportInterval() {
        return poll.map(PollCycle::cycle).orElseGet(() -> options.publishingInterval());
    }
}
