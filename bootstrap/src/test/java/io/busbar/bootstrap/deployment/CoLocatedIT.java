package io.busbar.bootstrap.deployment;

import static io.busbar.bootstrap.deployment.DeploymentFiles.PAIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Busbar instances in co-located mode, one beside each server of a simulated pair, each
 * server and each instance in its own JVM, all writing to one shared idempotent SQL table. The
 * faults of issue 11 one after the other: the primary server is killed, then the instance beside
 * the (now active) secondary is killed and restarted, then the primary server comes back and the
 * instance beside it is killed and restarted. Each restarted instance must reach the choice its
 * partner holds (the two must never both stand by for good), and the table must hold every
 * (meter, quantity, second) of the whole window once.
 */
class CoLocatedIT {

    private static final int METERS = 5;

    /** The instance beside the killed server notices and the other takes over. */
    private static final Duration TAKEOVER = Duration.ofSeconds(3);
    /** From a step's forwarding until its gap is closed in the table. */
    private static final Duration COMPLETE = Duration.ofSeconds(60);

    @RegisterExtension
    final Deployment deployment = new Deployment(METERS);

    private BusbarProcess besidePrimary;
    private BusbarProcess besideSecondary;
    /** The first second of the window checked: every series had arrived. */
    private long firstSecond;

    @Test
    void primaryServerKilled_thenEachInstanceKilledAndRestarted_everyReadingOnceByKey() throws Exception {
        SharedTable table = deployment.table();
        besidePrimary = deployment.start("beside-primary", "mode: co-located\nbeside: primary\n");
        besideSecondary = deployment.start("beside-secondary", "mode: co-located\nbeside: secondary\n");
        firstSecond = DeploymentChecks.awaitStarted(table, () -> roles("forwarding", "standby"));
        assertThat(table.rows()).extracting(SharedTable.Row::server).containsOnly("primary");

        // 1. the primary server crashes: the instance beside the secondary takes over at once
        Instant killed = Instant.now();
        deployment.primary().kill();
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(50))
                .until(() -> besideSecondary.role(PAIR).equals("forwarding"));
        report("primary server killed (SIGKILL): the instance beside the secondary forwards after", killed);
        await().atMost(TAKEOVER).until(() -> besidePrimary.role(PAIR).equals("standby"));
        awaitEverySecondOnce("secondary", killed);

        // 2. the instance beside the active secondary crashes; while it is down nobody forwards. Each
        // step is checked on its own: a later takeover's backfill would hide this one's gap
        Instant restarted = Instant.now();
        besideSecondary = deployment.restart(besideSecondary);
        await().atMost(DeploymentChecks.RESTART).until(() -> besideSecondary.role(PAIR).equals("forwarding"));
        report("instance beside the active secondary killed and started again: it forwards after", restarted);
        assertThat(besidePrimary.role(PAIR)).as("its partner, beside the dead primary").isEqualTo("standby");
        awaitEverySecondOnce("secondary", restarted);

        // 3. the primary server is back: co-located, the pair returns to the preferred primary
        Instant back = Instant.now();
        deployment.restartServer(deployment.primary());
        await().atMost(DeploymentChecks.RESTART).until(() -> roles("forwarding", "standby"));
        report("primary server started again: the instance beside it forwards, its partner stands by after", back);
        awaitEverySecondOnce("primary", back);

        // 4. the instance beside the active primary crashes; again nobody forwards while it is down
        restarted = Instant.now();
        besidePrimary = deployment.restart(besidePrimary);
        await().atMost(DeploymentChecks.RESTART).until(() -> besidePrimary.role(PAIR).equals("forwarding"));
        report("instance beside the active primary killed and started again: it forwards after", restarted);
        assertThat(besideSecondary.role(PAIR)).as("its partner, beside the healthy secondary").isEqualTo("standby");
        awaitEverySecondOnce("primary", restarted);

        for (BusbarProcess instance : new BusbarProcess[] {besidePrimary, besideSecondary}) {
            System.out.printf("co-located: %s last backfill %s%n", instance.name(), instance.pair(PAIR).path("lastBackfill"));
            DeploymentChecks.assertNoUnfilledSeconds(instance, instance.name() + "'s");
        }
    }

    /**
     * Waits until the table holds every second from the first up to two seconds from now once, the
     * newest from {@code server}'s live stream: the gap of the step begun at {@code since} is closed.
     */
    private void awaitEverySecondOnce(String server, Instant since) {
        long lastSecond = Instant.now().getEpochSecond() + 2;
        long checked = DeploymentChecks.awaitEverySecondOnce(deployment.table(), METERS * 2, firstSecond, lastSecond,
                COMPLETE);
        assertThat(deployment.table().newestSecond(server)).as("the newest second from the %s server", server)
                .isGreaterThanOrEqualTo(lastSecond);
        System.out.printf("co-located: every second since the start once %d ms after the step began (%d readings"
                + " over %d s checked)%n", Duration.between(since, Instant.now()).toMillis(), checked,
                lastSecond - firstSecond + 1);
    }

    /** Both instances answer with these roles. */
    private boolean roles(String besidePrimaryRole, String besideSecondaryRole) {
        return besidePrimary.role(PAIR).equals(besidePrimaryRole) && besideSecondary.role(PAIR).equals(besideSecondaryRole);
    }

    private static void report(String what, Instant since) {
        System.out.printf("co-located: %s %d ms%n", what, Duration.between(since, Instant.now()).toMillis());
    }
}
