package io.busbar.bootstrap.support;

import io.busbar.bootstrap.demo.DemoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The accounting block the running-accounting tests add to the demo's mapping: a building whose
 * parent meter is Meter001 and whose members are Meter002 to Meter004. The simulated meters count
 * independently, so the parent reads far less than its members: every interval is out of balance.
 */
public final class DemoAccounting {

    private DemoAccounting() {
    }

    /** Appends the block, with 15 s and 1 min intervals, to the mapping {@link DemoFiles#write} wrote into {@code dir}. */
    public static void appendBuilding(Path dir) throws IOException {
        Files.writeString(dir.resolve(DemoFiles.MAPPING), """
                accounting:
                  intervals: [15s, 1min]
                  groups:
                    - id: building
                      members: [Meter002, Meter003, Meter004]
                      parent: {"1-0:1.8.0": Meter001}
                      tolerance: {percent: 2}
                """, StandardOpenOption.APPEND);
    }
}
