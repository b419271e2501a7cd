package io.busbar.bootstrap.status;

import io.busbar.bootstrap.BusbarApplication;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.demo.DemoServers;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a status page test runs: the simulated server pair, Busbar in process on a free port, and
 * headless Chromium on the page; closed in the reverse order.
 */
final class StatusPageSession implements AutoCloseable {

    final SimulatedScadaServer primary;
    final SimulatedScadaServer secondary;
    private ConfigurableApplicationContext busbar;
    private ChromeDriver browser;

    StatusPageSession(int meters, boolean pushUpdates) {
        primary = SimulatedScadaServer.builder().port(0).meterCount(meters).pushUpdates(pushUpdates).build();
        secondary = SimulatedScadaServer.builder().port(0).meterCount(meters).pushUpdates(pushUpdates).build();
        primary.start();
        secondary.start();
    }

    /** Starts Busbar on the pair; @return its HTTP port */
    int startBusbar(CompiledConfig config) {
        busbar = BusbarApplication.start(config, new DemoServers(primary, secondary), "--server.port=0");
        return ((WebServerApplicationContext) busbar).getWebServer().getPort();
    }

    /** Headless Chromium with a fresh profile under {@code dir}, on the page at {@code /}. */
    ChromeDriver openPage(Path dir, int port) throws Exception {
        browser = HeadlessChromium.start(Files.createDirectory(dir.resolve("chromium-profile")));
        browser.get("http://localhost:" + port + "/");
        return browser;
    }

    @Override
    public void close() {
        if (browser != null) {
            browser.quit();
        }
        if (busbar != null) {
            busbar.close();
        }
        primary.close();
        secondary.close();
    }
}
