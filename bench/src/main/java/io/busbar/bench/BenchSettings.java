package io.busbar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The driver's command-line options with their quick-run and full-run defaults. */
final class BenchSettings {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    final Path repo;
    final Path out;
    final Path logs;
    final String classpath;
    final Path busbarJar;
    final boolean quick;
    final int tags;
    final int hz;
    final int nominalTags;
    final int nominalHz;
    final int warmupS;
    final int measureS;
    final int nominalMeasureS;
    final int ceilingS;
    final int outageS;
    final int catchUpTimeoutS;
    final boolean profile;
    /** {@code --trace-stages}: Busbar logs each publish's stages ({@code io.busbar.routes.StageTrace}) for bench/stage-trace. */
    final boolean traceStages;
    /** JVM options added to every Busbar launch of the driver ({@code --busbar-jvm "-XX:+UseParallelGC"}). */
    final List<String> busbarJvm;
    final String busbarHeap;
    final int failoverTimeoutS;
    /** The scenarios the driver runs, in its order; {@code --only a,b} keeps a and b. */
    final Set<String> scenarios;
    /** The scale scenario's tag counts (1 Hz each), its window, Busbar's heap and the most tags one source pair subscribes. */
    final List<Integer> scaleTags;
    final int scaleMeasureS;
    final String scaleHeap;
    final int scaleTagsPerPair;
    /** The scale ladder's publishing interval (1,000 ms: 1 Hz). */
    final long scaleIntervalMs;
    /** How long a scale point's Busbar may take to its first reading: 100,000 tags on a loaded machine take minutes. */
    final int scaleStartTimeoutS;
    /** bench/startup-idle's output, measured by bench/run before the driver started; null when skipped. */
    final Path startupIdle;

    /** Every scenario the driver knows, in the order it runs them. */
    static final List<String> SCENARIOS = List.of("ceiling", "throughput", "nominal", "failover", "drain", "scale");

    BenchSettings(Args args) throws IOException {
        repo = Path.of(args.required("repo")).toAbsolutePath().normalize();
        out = Path.of(args.get("out", repo.resolve("bench/out").resolve(STAMP.format(Instant.now())).toString()))
                .toAbsolutePath();
        logs = out.resolve("logs");
        classpath = args.required("classpath");
        busbarJar = Path.of(args.get("busbar-jar", repo.resolve("bootstrap/target/busbar.jar").toString()));
        quick = args.flag("quick");
        tags = args.getInt("tags", quick ? 2_000 : 10_000);
        hz = args.getInt("hz", quick ? 1 : 10);
        nominalTags = args.getInt("nominal-tags", 10_000);
        nominalHz = args.getInt("nominal-hz", 1);
        warmupS = args.getInt("warmup-s", quick ? 5 : 10);
        measureS = args.getInt("measure-s", quick ? 15 : 60);
        nominalMeasureS = args.getInt("nominal-measure-s", 30);
        ceilingS = args.getInt("ceiling-s", quick ? 8 : 20);
        outageS = args.getInt("outage-s", quick ? 10 : 60);
        catchUpTimeoutS = args.getInt("catch-up-timeout-s", quick ? 30 : 45);
        busbarHeap = args.get("xmx", "256m");
        failoverTimeoutS = args.getInt("failover-timeout-s", 20);
        profile = !args.flag("no-profile");
        traceStages = args.flag("trace-stages");
        String jvm = args.get("busbar-jvm", "").trim();
        busbarJvm = jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+"));
        List<String> only = args.list("only", SCENARIOS);
        for (String name : only) {
            if (!SCENARIOS.contains(name)) {
                throw new IllegalArgumentException("--only: unknown scenario '" + name + "'; known: " + String.join(",", SCENARIOS));
            }
        }
        scenarios = new LinkedHashSet<>(only);
        scaleTags = args.list("scale-tags", quick ? List.of("10000") : List.of("1000", "10000", "100000")).stream()
                .map(Integer::parseInt).toList();
        scaleMeasureS = args.getInt("scale-measure-s", quick ? 10 : 30);
        scaleHeap = args.get("scale-xmx", "512m");
        scaleTagsPerPair = args.getInt("scale-tags-per-pair", 50_000);
        scaleIntervalMs = args.getInt("scale-interval-ms", 1_000);
        scaleStartTimeoutS = args.getInt("scale-start-timeout-s", 900);
        if (scaleTags.stream().anyMatch(t -> t % 2 != 0 || t > 2 * 99_999) || scaleTagsPerPair % 2 != 0) {
            throw new IllegalArgumentException("scale tag counts must be even (two per meter) and at most 199,998");
        }
        if (scaleIntervalMs < 100) {
            throw new IllegalArgumentException("--scale-interval-ms must be at least 100 (10 Hz), not " + scaleIntervalMs);
        }
        startupIdle = args.get("startup-idle", null) == null ? null : Path.of(args.get("startup-idle", null));
        if (tags % 2 != 0 || nominalTags % 2 != 0 || 1000 % hz != 0 || 1000 % nominalHz != 0) {
            throw new IllegalArgumentException("tags must be even and hz must divide 1000");
        }
        Files.createDirectories(logs);
    }
}
