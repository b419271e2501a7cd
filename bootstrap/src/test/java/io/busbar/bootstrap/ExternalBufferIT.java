package io.busbar.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.bootstrap.support.Series;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.routes.BufferLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code buffer.url}: an Artemis broker running apart from Busbar, reached over TCP, carries the readings. */
class ExternalBufferIT {

    @TempDir
    Path dir;

    private EmbeddedActiveMQ external;
    private SimulatedScadaServer server;
    private ConfigurableApplicationContext busbar;

    @AfterEach
    void stop() throws Exception {
        if (busbar != null) {
            busbar.close();
        }
        if (server != null) {
            server.close();
        }
        if (external != null) {
            external.stop();
        }
    }

    @Test
    void externalBroker_queuesAreCreatedAndReadingsFlowThroughIt() throws Exception {
        int port = FreePorts.next();
        external = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setName("external").setPersistenceEnabled(true).setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("artemis/journal").toString())
                .setBindingsDirectory(dir.resolve("artemis/bindings").toString())
                .setPagingDirectory(dir.resolve("artemis/paging").toString())
                .setLargeMessagesDirectory(dir.resolve("artemis/large").toString())
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port)
                .addAddressSetting("busbar.#", new AddressSettings().setMaxDeliveryAttempts(-1)));
        external.start();
        server = SimulatedScadaServer.builder().port(0).meterCount(2).build();
        server.start();
        Path config = DemoFiles.write(dir.resolve("busbar"), server.endpointUrl(), server.endpointUrl(), 2);
        Files.writeString(config, Files.readString(config).replace("data-dir: data",
                "data-dir: data\n  url: tcp://127.0.0.1:" + port));
        CompiledConfig compiled = ConfigFile.load(config);
        assertThat(compiled.bufferUrl()).contains("tcp://127.0.0.1:" + port);

        busbar = BusbarApplication.start(compiled, "--server.port=0");

        Path readings = dir.resolve("busbar").resolve(DemoFiles.READINGS);
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(readings).stream()
                .map(r -> r.sourceTime().getEpochSecond()).distinct().count() >= 3);
        Series.assertEachSecondExactlyOnce(ReadingsFile.read(readings));
        assertThat(external.getActiveMQServer().locateQueue(SimpleString.of(BufferLayout.targetQueue("readings-file"))))
                .as("target queue created on the external broker").isNotNull();
        assertThat(external.getActiveMQServer().locateQueue(SimpleString.of(BufferLayout.sourceDeadLetterQueue("demo"))))
                .isNotNull();
        assertThat(dir.resolve("busbar/data/journal")).as("no embedded journal").doesNotExist();
    }
}
