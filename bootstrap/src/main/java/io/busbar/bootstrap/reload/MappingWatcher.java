package io.busbar.bootstrap.reload;

import io.busbar.support.DaemonThreads;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.SourcePairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of mapping files: every {@link #PERIOD_MS} it looks at the mapping files next to the
 * configuration; when one changed it loads the configuration again. A valid change is applied to
 * the pairs whose mapping changed (each restarts from its watermarks, so nothing is skipped); an
 * invalid one is rejected with every problem logged and shown in {@code /actuator/health/mappings},
 * and the previous mapping keeps running.
 */
public final class MappingWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MappingWatcher.class);
    static final long PERIOD_MS = 2000;

    private final Path configFile;
    private final SourcePairs pairs;
    private final ScheduledExecutorService poller;
    private Map<String, SourcePairPlan> running = new HashMap<>();
    private Map<Path, FileTime> seen;
    private volatile Status status;

    /** What the last look found. */
    public record Status(Instant checkedAt, Instant appliedAt, List<String> problems) {
    }

    public MappingWatcher(CompiledConfig config, SourcePairs pairs) {
        this.configFile = config.file();
        this.pairs = pairs;
        config.plan().pairs().forEach(pair -> running.put(pair.name(), pair));
        this.seen = mappingFiles();
        this.status = new Status(Instant.now(), Instant.now(), List.of());
        this.poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-mapping-watcher"));
        poller.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    public Status status() {
        return status;
    }

    void check() {
        Map<Path, FileTime> now = mappingFiles();
        if (now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            CompiledConfig reloaded = ConfigFile.load(configFile);
            int applied = 0;
            for (SourcePairPlan pair : reloaded.plan().pairs()) {
                SourcePairPlan before = running.get(pair.name());
                if (before != null && !sameMapping(before, pair) && pairs.reload(withMapping(before, pair))) {
                    running.put(pair.name(), withMapping(before, pair));
                    applied++;
                    log.info("Source pair {}: mapping reloaded ({} nodes)", pair.name(), pair.mapping().nodeIds().size());
                }
            }
            status = new Status(Instant.now(), applied > 0 ? Instant.now() : status.appliedAt(), List.of());
        } catch (InvalidConfigurationException e) {
            List<String> problems = e.problems().stream().map(Problem::toString).toList();
            problems.forEach(problem -> log.warn("Mapping change rejected, the previous mapping keeps running: {}", problem));
            status = new Status(Instant.now(), status.appliedAt(), problems);
        } catch (RuntimeException e) {
            log.error("Reloading the mappings failed; the previous mapping keeps running", e);
            status = new Status(Instant.now(), status.appliedAt(), List.of(String.valueOf(e.getMessage())));
        }
    }

    /** Only the mapping changes; connections, redundancy and targets need a restart to change. */
    private static SourcePairPlan withMapping(SourcePairPlan running, SourcePairPlan reloaded) {
        return new SourcePairPlan(running.name(), running.primary(), running.secondary(), running.redundancy(),
                running.backfill(), reloaded.mapping(), running.targets());
    }

    private static boolean sameMapping(SourcePairPlan a, SourcePairPlan b) {
        return a.mapping().registers().equals(b.mapping().registers());
    }

    /** Every YAML file in the configuration's directory tree, with its modification time. */
    private Map<Path, FileTime> mappingFiles() {
        Map<Path, FileTime> files = new HashMap<>();
        Path dir = Objects.requireNonNullElse(configFile.toAbsolutePath().getParent(), Path.of("."));
        try (Stream<Path> paths = Files.walk(dir, 4)) {
            paths.filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
                    .filter(path -> !path.startsWith(dir.resolve("data")))
                    .forEach(path -> {
                        try {
                            files.put(path, Files.getLastModifiedTime(path));
                        } catch (IOException e) {
                            // deleted while walking: the next look sees it gone
                        }
                    });
        } catch (IOException e) {
            log.debug("Cannot list {}: {}", dir, e.toString());
        }
        return files;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
