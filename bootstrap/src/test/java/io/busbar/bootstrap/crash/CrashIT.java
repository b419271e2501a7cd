package io.busbar.bootstrap.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short crash test of the suite: Busbar killed with SIGKILL twice under load. */
class CrashIT {

    @TempDir
    Path work;

    @Test
    void killedTwiceUnderLoad_everyReadingOnceAtTheTarget() throws Exception {
        int kills = 2;
        Duration minUp = Duration.ofSeconds(2);
        CrashTest.Result result = new CrashTest(work, System.getProperty("java.class.path"), 42, System.out)
                .run(kills, minUp, Duration.ofSeconds(5));

        System.out.println(result);
        // every run delivered readings for at least minUp before its kill, so the window spans both kills;
        // how much longer it is depends on how fast Busbar starts on this machine, not on correctness
        assertThat(result.readings()).as("readings in the window")
                .isGreaterThanOrEqualTo(CrashTest.SERIES * kills * minUp.toSeconds());
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.duplicates()).as("duplicates").isZero();
    }
}
