package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The latest {@code ServiceLevel} of one server, as its subscription or a direct read reports it, and who hears of changes. */
final class ServiceLevelWatch {

    /** Logged as the source, whose part this is. */
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);
    private static final int UNKNOWN = -1;

    private final String name;
    private final ServerRole role;
    private final BooleanSupplier stopped;
    private final AtomicInteger level = new AtomicInteger(UNKNOWN);
    private final List<ServiceLevelListener> listeners = new CopyOnWriteArrayList<>();

    /** @param stopped whether the source was stopped: a level arriving after that is forgotten */
    ServiceLevelWatch(String name, ServerRole role, BooleanSupplier stopped) {
        this.name = name;
        this.role = role;
        this.stopped = stopped;
    }

    /** 0..255; empty while not connected or not yet read. */
    OptionalInt current() {
        int current = level.get();
        return current == UNKNOWN ? OptionalInt.empty() : OptionalInt.of(current);
    }

    boolean known() {
        return level.get() != UNKNOWN;
    }

    /** The session is gone: the level is unknown until read again. */
    void forget() {
        level.set(UNKNOWN);
    }

    void addListener(ServiceLevelListener listener) {
        listeners.add(listener);
    }

    /**
     * A subscription that survived a short outage on the same session delivers the service level
     * again only when it changes, so after a loss it is read once directly.
     */
    void read(OpcUaClient current) {
        current.readValuesAsync(0.0, TimestampsToReturn.Both, List.of(NodeIds.Server_ServiceLevel))
                .thenAccept(values -> onSamples(
                        List.of(DataValues.toRawSample(OpcUaSource.SERVICE_LEVEL_NODE_ID, values.get(0)))));
    }

    void onSamples(List<RawSample> batch) {
        RawSample latest = batch.get(batch.size() - 1);
        int next = latest.statusCode() == 0 && latest.value() instanceof Number number
                ? number.intValue()
                : UNKNOWN;
        int previous = level.getAndSet(next);
        if (stopped.getAsBoolean()) {
            // a read or notification under way when stop() ran; stop() sets stopped before it
            // clears the level, so one of the two clears it last
            level.set(UNKNOWN);
            return;
        }
        if (previous != next && next != UNKNOWN) {
            LOG.info("{}: service level {}", name, next);
            for (ServiceLevelListener listener : listeners) {
                listener.onServiceLevel(role, next);
            }
        }
    }
}
