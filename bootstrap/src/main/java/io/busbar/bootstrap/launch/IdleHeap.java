package io.busbar.bootstrap.launch;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets G1 give back the heap an idle Busbar does not use, when nobody sized the heap.
 *
 * <p>Why: without {@code -Xmx} the JVM sizes the heap from the machine (initial 1/64, maximum 1/4 of
 * its memory), and G1 keeps what start-up made it commit: 200 MB committed for 82 MB live in a
 * {@code busbar run} of 20 meters on a 23.5 GB machine, and at 40 readings/s it allocates so little
 * that it hardly ever collects again (issue 12: idle ≤ 300 MB RSS). A periodic collection when none
 * ran for a minute, and a heap shrunk to 30 % above the live data after it, return that memory; the
 * flags are "manageable", so a running JVM accepts them.
 *
 * <p>It steps aside when the operator sized the heap ({@code -Xmx}, {@code -Xms} or
 * {@code -XX:MaxRAMPercentage}, as the bench, the systemd unit and the image do: a busy Busbar
 * collects all the time and needs its headroom), when one of its flags was set on the command line,
 * and on a collector other than G1.
 */
public final class IdleHeap {

    /** Flags in the order they must be set: the minimum free ratio may not exceed the maximum. */
    static final Map<String, String> SETTINGS = settings();

    private static final String[] SIZING_FLAGS = {"MaxHeapSize", "InitialHeapSize", "MinHeapSize", "MaxRAMPercentage",
        "InitialRAMPercentage", "MinRAMPercentage"};

    private IdleHeap() {
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("G1PeriodicGCInterval", "60000");
        settings.put("MinHeapFreeRatio", "10");
        settings.put("MaxHeapFreeRatio", "30");
        return settings;
    }

    /** -Xmx, -Xms or a share of the machine's (or container's) memory given at launch. */
    private static boolean sized(HotSpotDiagnosticMXBean vm) {
        for (String flag : SIZING_FLAGS) {
            VMOption.Origin origin = vm.getVMOption(flag).getOrigin();
            if (origin != VMOption.Origin.DEFAULT && origin != VMOption.Origin.ERGONOMIC) {
                return true;
            }
        }
        return false;
    }

    /**
     * Once start-up is over, collects its garbage in one full collection, which shrinks the heap to
     * the free ratios at once; only when {@link #apply} set them (the heap is unsized).
     *
     * <p>Why not wait for the periodic collection: it runs only after a minute without any
     * collection, and an idle Busbar's ~1 MB/s of allocation gives a young collection every 10–60 s,
     * none of which shrinks the heap. In a {@code busbar run} of 20 meters, 4 minutes after start, G1
     * still had 233 MB committed for 62 MB live (RSS 453 MB); one full collection took it to 94 MB
     * (RSS 319 MB), and it stayed there (issue 12, bench/README). Called when the context has started,
     * which in the launches measured was ~3 s before the pair's first reading, so no reading waited
     * for its pause (~0.1–0.3 s, once).
     *
     * @param set what {@link #apply} returned
     * @return whether it collected
     */
    public static boolean collectStartUpGarbage(Map<String, String> set) {
        if (set.isEmpty()) {
            return false;
        }
        System.gc();
        return true;
    }

    /**
     * Sets the flags; called once the application has started, not at launch: with the free ratios
     * set during start-up, G1 shrank the heap at the end of every concurrent cycle and had to collect
     * again soon after (a plain launch of a 20-meter {@code run}: 40–44 collections before the
     * start-up collection instead of 15–18). Set afterwards, the heap G1 grows again right after the
     * start-up collection (236 MB) went back to 104–112 MB within a minute of it (three launches),
     * where before only the periodic collection ~110 s after the launch shrank it.
     *
     * @return the flags it set (empty when it stepped aside)
     */
    public static Map<String, String> apply() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null || !"true".equals(vm.getVMOption("UseG1GC").getValue()) || sized(vm)) {
            return Map.of();
        }
        Map<String, String> set = new LinkedHashMap<>();
        SETTINGS.forEach((flag, value) -> {
            if (vm.getVMOption(flag).getOrigin() == VMOption.Origin.DEFAULT) {
                try {
                    vm.setVMOption(flag, value);
                    set.put(flag, value);
                } catch (IllegalArgumentException e) {
                    // not manageable in this JVM: it keeps its default, Busbar runs as before
                }
            }
        });
        return set;
    }
}
