package io.busbar.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU time of processes (and the machine, and this driver) between two instants. */
final class Cpu {
    private final Map<String, Long> start = new LinkedHashMap<>();
    private final long startMs = System.currentTimeMillis();
    private final long[] machineStart = JavaProcess.machineTicks();
    private final long selfStart = JavaProcess.selfCpuMillis();
    private long[] machineEnd;

    static Cpu start(List<JavaProcess> processes) {
        Cpu cpu = new Cpu();
        for (JavaProcess p : processes) {
            cpu.start.put(p.name, p.cpuMillis());
        }
        return cpu;
    }

    Map<String, Double> cores(List<JavaProcess> processes) {
        double seconds = (System.currentTimeMillis() - startMs) / 1000.0;
        machineEnd = JavaProcess.machineTicks();
        Map<String, Double> result = new LinkedHashMap<>();
        for (JavaProcess p : processes) {
            long end = p.cpuMillis();
            Long begin = start.get(p.name);
            result.put(p.name, begin == null || begin < 0 || end < 0 ? 0.0 : (end - begin) / 1000.0 / seconds);
        }
        result.put("driver", (JavaProcess.selfCpuMillis() - selfStart) / 1000.0 / seconds);
        return result;
    }

    /** Machine CPU in cores minus what the measured processes and this driver used. */
    double foreignCores(Map<String, Double> cores) {
        double ours = cores.values().stream().mapToDouble(Double::doubleValue).sum();
        return Math.max(0, machineBusy() * Runtime.getRuntime().availableProcessors() - ours);
    }

    double machineBusy() {
        long busy = machineEnd[0] - machineStart[0];
        long total = machineEnd[1] - machineStart[1];
        return total == 0 ? 0 : (double) busy / total;
    }
}
