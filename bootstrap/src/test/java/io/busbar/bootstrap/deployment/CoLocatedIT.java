package io.busbar.bootstrap.deployment;

import static io.busbar.bootstrap.deployment.DeploymentFiles.PAIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Busbar instances in co-located mode, one beside each server of a Milo pair, both writing to
 * one shared idempotent SQL table. The primary server stops: the instance beside the secondary
 * takes over forwarding within 3 s, and the table holds every (meter, quantity, second) once.
 */
class CoLocatedIT {

    private static final int METERS = 5;

    /** Two Busbar JVMs starting at once on a busy 2-core machine can take a minute or more. */
    private static final Duration STARTUP = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    private SimulatedScadaServer primary;
    private SimulatedScadaServer secondary;
    private SharedTable table;
    private BusbarProcess besidePrimary;
    private BusbarProcess besideSecondary;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {besidePrimary, besideSecondary, primary, secondary, table}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void primaryServerStops_instanceBesideSecondaryForwardsWithin3s_everyReadingOnceByKey() throws Exception {
        primary = SimulatedScadaServer.builder().port(0).meterCount(METERS).build();
        secondary = SimulatedScadaServer.builder().port(0).meterCount(METERS).build();
        primary.start();
        secondary.start();
        table = new SharedTable();
        besidePrimary = start("beside-primary", "mode: co-located\nbeside: primary\n");
        besideSecondary = start("beside-secondary", "mode: co-located\nbeside: secondary\n");

        await().atMost(STARTUP).until(() -> besidePrimary.role(PAIR).equals("forwarding")
                && besideSecondary.role(PAIR).equals("standby") && table.distinctSeconds() >= 3);
        assertThat(table.rows()).extracting(SharedTable.Row::server).containsOnly("primary");

        Instant stopped = Instant.now();
        primary.stop();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> besideSecondary.role(PAIR).equals("forwarding"));
        long takeoverMs = Duration.between(stopped, Instant.now()).toMillis();
        System.out.printf("co-located takeover: the instance beside the secondary forwards %d ms after the primary"
                + " server stopped%n", takeoverMs);
        // the instance beside the stopped server notices on its own, as quickly (nothing to forward meanwhile)
        await().atMost(Duration.ofSeconds(3)).until(() -> besidePrimary.role(PAIR).equals("standby"));

        long after = stopped.getEpochSecond() + 3;
        await().atMost(Duration.ofSeconds(20)).until(() -> table.rows().stream()
                .anyMatch(row -> row.server().equals("secondary") && row.second() >= after));
        List<SharedTable.Row> rows = table.rows();
        long checked = SharedTable.assertEverySecondOnce(rows, METERS * 2);
        long firstAfterStop = rows.stream().filter(row -> row.second() > stopped.getEpochSecond())
                .mapToLong(SharedTable.Row::second).min().orElseThrow();
        assertThat(rows).filteredOn(row -> row.second() >= firstAfterStop)
                .extracting(SharedTable.Row::server).as("after the stop only the secondary delivers").containsOnly("secondary");
        System.out.printf("co-located: %d readings checked, each once, none missing%n", checked);
    }

    private BusbarProcess start(String name, String deployment) throws Exception {
        Path config = DeploymentFiles.write(dir.resolve(name), primary.endpointUrl(), secondary.endpointUrl(), METERS,
                table.url(), deployment);
        return BusbarProcess.start(name, config, dir.resolve(name + ".log"));
    }
}
