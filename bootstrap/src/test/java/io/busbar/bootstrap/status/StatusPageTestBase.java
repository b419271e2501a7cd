package io.busbar.bootstrap.status;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every status page test needs around its own steps: skipped where Chromium is not installed,
 * a fresh directory for the configuration, readings and browser profile, and the session (servers,
 * Busbar, browser) closed after it however the test ended.
 */
abstract class StatusPageTestBase {

    @TempDir
    Path dir;

    /** Set by the test once it starts the servers. */
    StatusPageSession session;

    @BeforeEach
    void assumeChromium() {
        HeadlessChromium.assumeInstalled();
    }

    @AfterEach
    void stop() {
        if (session != null) {
            session.close();
        }
    }
}
