package io.busbar.routes.plan;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.ServerRole;

/**
 * One server of a source pair.
 *
 * @param role    primary or secondary
 * @param options how to connect to it (endpoint, security, intervals, timeouts)
 */
public record ServerPlan(ServerRole role, OpcUaSourceOptions options) {

    public String endpoint() {
        return options.endpointUrl();
    }
}
