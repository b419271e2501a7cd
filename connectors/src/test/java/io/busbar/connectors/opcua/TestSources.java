package io.busbar.connectors.opcua;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sources with short intervals so the tests run in seconds; stops them all at the end of a test. */
final class TestSources {

    private final List<OpcUaSource> started = new ArrayList<>();

    static OpcUaSourceOptions.Builder fastOptions(String endpointUrl) {
        return OpcUaSourceOptions.builder(endpointUrl)
                .publishingInterval(Duration.ofMillis(100))
                .samplingInterval(Duration.ofMillis(100))
                .retryDelay(Duration.ofMillis(200))
                .maxRetryDelay(Duration.ofSeconds(1))
                .itemRetryInterval(Duration.ofMillis(300));
    }

    OpcUaSource start(ServerRole role, SimulatedScadaServer server) {
        return start(role, fastOptions(server.endpointUrl()).build());
    }

    OpcUaSource start(ServerRole role, OpcUaSourceOptions options) {
        OpcUaSource source = new OpcUaSource(role, options);
        started.add(source);
        source.start();
        return source;
    }

    void stopAll() {
        started.forEach(OpcUaSource::stop);
        started.clear();
    }
}
