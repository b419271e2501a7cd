package io.busbar.connectors.opcua;

import io.busbar.mappings.model.ServerRole;

/**
 * Told when a server reports a new {@code ServiceLevel} (ns=0;i=2267): 0 maintenance, 1 no data,
 * 2..199 degraded, 200..255 healthy (OPC UA Part 4 §6.6, redundancy). Called on a Milo thread.
 */
@FunctionalInterface
public interface ServiceLevelListener {

    void onServiceLevel(ServerRole role, int serviceLevel);
}
