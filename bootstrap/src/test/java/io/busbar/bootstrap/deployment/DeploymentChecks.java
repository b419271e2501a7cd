package io.busbar.bootstrap.deployment;

import static io.busbar.bootstrap.deployment.DeploymentFiles.PAIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the two-instance deployment ITs ({@link CoLocatedIT}, {@link DistributedIT}) share on top of
 * their {@link Deployment}: how long a Busbar JVM gets to start, the start of both instances, and
 * the checks of the shared table and of an instance's completeness.
 */
final class DeploymentChecks {

    /** Two Busbar JVMs starting at once on a busy 2-core machine can take a minute or more. */
    static final Duration STARTUP = Duration.ofSeconds(180);
    /**
     * One Busbar JVM starting again while the other works; co-located, this includes the start-up
     * grace until both servers were tried and settled.
     */
    static final Duration RESTART = Duration.ofSeconds(120);

    private DeploymentChecks() {
    }

    /**
     * Waits until both instances have the roles asked for and the table holds three seconds.
     *
     * @return the first second of the window the test checks: every series had arrived
     */
    static long awaitStarted(SharedTable table, Callable<Boolean> rolesAsExpected) {
        await().atMost(STARTUP).until(() -> rolesAsExpected.call() && table.distinctSeconds() >= 3);
        return SharedTable.firstSecondOfAll(table.rows());
    }

    /**
     * Waits up to {@code within} until the table holds every second of {@code series} series from
     * {@code firstSecond} to {@code lastSecond} once.
     *
     * @return how many readings were checked
     */
    static long awaitEverySecondOnce(SharedTable table, int series, long firstSecond, long lastSecond, Duration within) {
        AtomicLong checked = new AtomicLong();
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> checked.set(
                SharedTable.assertEverySecondOnce(table.rows(), series, firstSecond, lastSecond)));
        return checked.get();
    }

    /** The instance's health says no second of the pair is left unfilled; {@code whose} names it in the message. */
    static void assertNoUnfilledSeconds(BusbarProcess instance, String whose) {
        assertThat(instance.completeness(PAIR).path("unfilledSeconds").asDouble(-1))
                .as("%s health: unfilled seconds (holes %s)", whose, instance.completeness(PAIR).path("holes"))
                .isZero();
    }
}
