package io.busbar.routes.source;

import io.busbar.connectors.modbus.ModbusGateway;
import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.ServiceLevelListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.ServerPlan;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A pair's server that is a Modbus TCP gateway: its meters are polled each cycle, so the pair's
 * engine gives a redundant pair of gateways what it gives OPC UA servers — the selection, the
 * forward-once gate, a hot standby's recent values closing the seam of a switchover, holes counted.
 *
 * <p>What Modbus lacks: no ServiceLevel (the selector judges by connection, i.e. answered cycles,
 * and by the values advancing) and no history, so every backfill reports the nodes as without
 * history and a gap is filled only from the partner's polls of the same slots.
 */
final class ModbusPairServer implements PairServer {

    /** OPC UA Bad_HistoryOperationUnsupported: a gateway keeps no history. */
    static final long NO_HISTORY = org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_HistoryOperationUnsupported;

    private final ModbusGateway gateway;

    ModbusPairServer(ServerPlan server) {
        this.gateway = new ModbusGateway(server.role(), server.modbus().orElseThrow(), Clock.systemUTC());
    }

    @Override
    public ServerRole role() {
        return gateway.role();
    }

    @Override
    public void start() {
        gateway.start();
    }

    @Override
    public void stop() {
        gateway.stop();
    }

    @Override
    public boolean connected() {
        return gateway.connected();
    }

    @Override
    public java.util.Optional<String> connectionLost() {
        return gateway.connectionLost();
    }

    @Override
    public Map<String, Instant> silentNodes() {
        return gateway.silentNodes();
    }

    @Override
    public long connectFailures() {
        return gateway.failedCycles();
    }

    @Override
    public SourceSubscription subscribe(List<String> nodeIds, SampleListener listener) {
        gateway.poll(nodeIds, listener);
        return publishing -> { }; // polled each cycle whatever the mode: a warm standby's values are kept, not forwarded
    }

    @Override
    public void onServiceLevel(ServiceLevelListener listener) {
        // Modbus has no ServiceLevel
    }

    @Override
    public CompletableFuture<HistoryResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to) {
        Map<String, Long> failed = new LinkedHashMap<>();
        nodeIds.forEach(node -> failed.put(node, NO_HISTORY));
        return CompletableFuture.completedFuture(new HistoryResult(List.of(), failed));
    }
}
