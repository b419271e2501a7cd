package io.busbar.bootstrap.support;

import io.busbar.bootstrap.BusbarApplication;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A simulated SCADA server and a Busbar application in the test's JVM, both closed after each test
 * (Busbar first, so it never reconnects to a server that is going away). Register it with
 * {@code @RegisterExtension}.
 */
public final class InProcessBusbar implements AfterEachCallback {

    private SimulatedScadaServer server;
    private ConfigurableApplicationContext busbar;

    /** A started simulated server with {@code meters} meters on a free port. */
    public SimulatedScadaServer server(int meters) {
        return server(SimulatedScadaServer.builder().meterCount(meters));
    }

    /** A started simulated server as {@code builder} describes it, on a free port. */
    public SimulatedScadaServer server(SimulatedScadaServer.Builder builder) {
        server = builder.port(0).build();
        server.start();
        return server;
    }

    /** Busbar on a free HTTP port, running {@code config}; Spring options may follow. */
    public ConfigurableApplicationContext start(CompiledConfig config, String... springArgs) {
        String[] args = new String[springArgs.length + 1];
        args[0] = "--server.port=0";
        System.arraycopy(springArgs, 0, args, 1, springArgs.length);
        busbar = BusbarApplication.start(config, args);
        return busbar;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (busbar != null) {
            busbar.close();
            busbar = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
