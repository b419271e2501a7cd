package io.busbar.connectors.opcua;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.support.testing.CapturedLogs;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage of a test against a secured server: one secured meter server started before each test,
 * a fresh PKI directory for the client, the logs captured, and the sources and the server stopped
 * after it. The test names what else its server has (application name, users).
 */
abstract class SecuredServerTestBase {

    final TestSources sources = new TestSources();
    final SimulatedScadaServer server;
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.all();

    @TempDir
    Path pki;

    SecuredServerTestBase(SimulatedScadaServer.Builder server) {
        this.server = server.meterCount(1).secured(true).build();
    }

    @BeforeEach
    void startServer() {
        server.start();
    }

    @AfterEach
    void stopAll() {
        sources.stopAll();
        server.stop();
    }
}
