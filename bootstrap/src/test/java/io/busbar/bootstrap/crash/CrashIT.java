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
        CrashTest.Result result = new CrashTest(work, System.getProperty("java.class.path"), 42, System.out)
                .run(2, Duration.ofSeconds(2), Duration.ofSeconds(5));

        System.out.println(result);
        assertThat(result.readings()).as("readings in the window").isGreaterThan(CrashTest.SERIES * 20L);
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.duplicates()).as("duplicates").isZero();
    }
}
