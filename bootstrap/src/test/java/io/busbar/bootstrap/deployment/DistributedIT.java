package io.busbar.bootstrap.deployment;

import static io.busbar.bootstrap.deployment.DeploymentFiles.PAIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Busbar instances in distributed mode sharing a directory (Camel's file-lock cluster service
 * and the pair's watermarks) and one idempotent SQL table. The leader is killed with SIGKILL under
 * load: the other leads within 15 s and backfills the gap from the active server's history, so
 * the table has every (meter, quantity, second) once.
 */
class DistributedIT {

    private static final int METERS = 20;

    /** Two Busbar JVMs starting at once on a busy 2-core machine can take a minute or more. */
    private static final Duration STARTUP = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    private SimulatedScadaServer primary;
    private SimulatedScadaServer secondary;
    private SharedTable table;
    private BusbarProcess first;
    private BusbarProcess second;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, primary, secondary, table}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void leaderKilledUnderLoad_otherLeadsWithin15s_noReadingLostOrDuplicated() throws Exception {
        primary = SimulatedScadaServer.builder().port(0).meterCount(METERS).build();
        secondary = SimulatedScadaServer.builder().port(0).meterCount(METERS).build();
        primary.start();
        secondary.start();
        table = new SharedTable();
        first = start("busbar-1");
        second = start("busbar-2");
        await().atMost(STARTUP).until(() -> Set.copyOf(List.of(first.role(PAIR), second.role(PAIR)))
                .equals(Set.of("leading", "standby")) && table.distinctSeconds() >= 3);
        BusbarProcess leader = first.role(PAIR).equals("leading") ? first : second;
        BusbarProcess standby = leader == first ? second : first;
        assertThat(standby.connector().at("/details/pairs/" + PAIR + "/lockHolder").asText()).isEqualTo(leader.name());
        assertThat(standby.health("redundancy").at("/details/pairs").has(PAIR))
                .as("the standby does not even run the pair").isFalse();

        Instant killed = Instant.now();
        leader.kill();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> standby.role(PAIR).equals("leading"));
        long takeoverMs = Duration.between(killed, Instant.now()).toMillis();
        System.out.printf("distributed takeover: %s leads %d ms after %s was killed%n", standby.name(), takeoverMs,
                leader.name());
        assertThat(Duration.ofMillis(takeoverMs)).as("time to a new leader").isLessThanOrEqualTo(Duration.ofSeconds(15));

        long after = Instant.now().getEpochSecond() + 3;
        // every series, not just the first meter group delivered: the new leader's backfill reaches the
        // table one meter group after the other
        await().atMost(Duration.ofSeconds(60)).until(() -> SharedTable.everySeriesReached(table.rows(), METERS * 2, after));
        List<SharedTable.Row> rows = table.rows();
        long checked = SharedTable.assertEverySecondOnce(rows, METERS * 2);
        assertThat(rows.stream().mapToLong(SharedTable.Row::second).min().orElseThrow())
                .as("the checked window spans the kill").isLessThan(killed.getEpochSecond() - 2);
        System.out.printf("distributed: %d readings checked across the kill, each once, none missing%n", checked);
    }

    private BusbarProcess start(String name) throws Exception {
        Path config = DeploymentFiles.write(dir.resolve(name), primary.endpointUrl(), secondary.endpointUrl(), METERS,
                table.url(), """
                        mode: distributed
                        shared-dir: %s
                        instance-id: %s
                        """.formatted(dir.resolve("shared"), name));
        return BusbarProcess.start(name, config, dir.resolve(name + ".log"));
    }
}
