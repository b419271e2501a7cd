package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.support.Fixtures;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded random damage to the full fixture (meters, templates of both kinds, validation blocks):
 * whatever the text becomes, loading it, with or without a server address space to expand browse
 * templates against, either gives a mapping or an {@link InvalidConfigurationException} whose every
 * problem is located (line ≥ 1 and column ≥ 1, or 0:0 with an empty path for a file-level problem).
 * Never another exception, never a hang.
 */
class MappingFileFuzzTest {

    private static final String FILE = "full.yaml";
    /** Fixed so a failure reproduces; {@code -Dbusbar.fuzz.seed=… -Dbusbar.fuzz.cases=…} for a longer hunt. */
    private static final long SEED = Long.getLong("busbar.fuzz.seed", 20240331L);
    private static final int CASES = Integer.getInteger("busbar.fuzz.cases", 400);
    // a hang, not slowness, is what this catches: the first case also pays for class loading and JIT on a loaded CI machine
    private static final Duration LIMIT_PER_CASE = Duration.ofSeconds(30);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fuzz-worker");
        thread.setDaemon(true); // a hung case must not keep the JVM alive
        return thread;
    });

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    /** What the full fixture's browse paths find; a damaged file may ask for anything else. */
    private static final List<BrowsedNode> ADDRESS_SPACE = List.of(
            new BrowsedNode("Objects/Water/W9/HotVolume", "ns=6;i=9"),
            new BrowsedNode("Objects/Meters/E-17/Energy", "ns=7;s=E17.E"),
            new BrowsedNode("Objects/Meters/E-17/Power", "ns=7;s=E17.P"),
            new BrowsedNode("Objects/Meters/E-18/Energy", "ns=7;s=E18.E"),
            new BrowsedNode("Objects/Meters/E-18/Power", "ns=7;s=E18.P"),
            new BrowsedNode("Objects/Meters/APT-0001/Energy", "ns=2;s=Apt0001.Energy"));

    @Test
    void damagedMappingFile_loadsOrReportsLocatedProblems_neverCrashes() throws Exception {
        fuzz(SEED, CASES, text -> MappingFile.parse("plant-a", text, FILE));
    }

    @Test
    void damagedMappingFile_resolvedAgainstAnAddressSpace_loadsOrReportsLocatedProblems_neverCrashes() throws Exception {
        fuzz(SEED + 1, CASES / 2, text -> MappingFile.parse("plant-a", text, FILE).resolve(ADDRESS_SPACE));
    }

    private void fuzz(long seed, int cases, java.util.function.Function<String, Object> load) throws Exception {
        String original = Fixtures.text(FILE);
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        int rejected = 0;

        for (int i = 0; i < cases; i++) {
            StringBuilder applied = new StringBuilder();
            String text = original;
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                text = mutate(text, random, applied);
            }
            String damaged = text;
            String label = "seed " + seed + " case " + i + " (" + applied.toString().trim() + ")";
            Future<Object> result = worker.submit(() -> load.apply(damaged));
            try {
                result.get(LIMIT_PER_CASE.toMillis(), TimeUnit.MILLISECONDS);
                loaded++;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InvalidConfigurationException invalid) {
                    rejected++;
                    for (Problem problem : invalid.problems()) {
                        if (!isLocated(problem)) {
                            failures.add(label + ": unlocated problem " + problem + "\n" + damaged);
                        }
                    }
                } else {
                    failures.add(label + ": " + e.getCause() + "\n" + damaged);
                }
            } catch (TimeoutException e) {
                failures.add(label + ": no answer within " + LIMIT_PER_CASE + "\n" + damaged);
                break; // the worker is stuck; the remaining cases cannot run on it
            }
        }

        assertThat(failures).isEmpty();
        assertThat(loaded).as("some damage is harmless (a comment, a value still valid)").isPositive();
        assertThat(rejected).as("most damage is reported").isGreaterThan(cases / 2);
    }

    /** YAML syntax, template placeholders and format characters, and values the validation block knows. */
    private static final List<String> TOKENS = List.of("\"", "'", "[", "{", "&a ", "*a", "? ", "#", "---\n", "~",
            "}", "{meter}", "{{", "%", "/", " off", "-", "x");

    static boolean isLocated(Problem problem) {
        if (!FILE.equals(problem.file()) || problem.message().isBlank()) {
            return false;
        }
        if (problem.line() == 0) {
            return problem.column() == 0 && problem.path().isEmpty(); // file-level, documented as 0:0
        }
        return problem.line() >= 1 && problem.column() >= 1;
    }

    private static String mutate(String text, Random random, StringBuilder applied) {
        if (text.isEmpty()) {
            applied.append("insert into empty; ");
            return "- ";
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int at = random.nextInt(text.length());
        int line = random.nextInt(lines.size());
        switch (random.nextInt(9)) {
            case 0 -> {
                applied.append("delete char ").append(at).append("; ");
                return text.substring(0, at) + text.substring(at + 1);
            }
            case 1 -> {
                applied.append("duplicate line ").append(line + 1).append("; ");
                lines.add(line, lines.get(line));
            }
            case 2 -> {
                int other = random.nextInt(lines.size());
                applied.append("swap indentation of lines ").append(line + 1).append(" and ").append(other + 1).append("; ");
                String a = lines.get(line);
                String b = lines.get(other);
                lines.set(line, indentation(b) + a.strip());
                lines.set(other, indentation(a) + b.strip());
            }
            case 3 -> {
                int by = random.nextBoolean() ? 2 : -2;
                applied.append("indent line ").append(line + 1).append(" by ").append(by).append("; ");
                String l = lines.get(line);
                lines.set(line, by > 0 ? "  " + l : l.startsWith("  ") ? l.substring(2) : l.stripLeading());
            }
            case 4 -> {
                applied.append("insert ':' at ").append(at).append("; ");
                return text.substring(0, at) + ':' + text.substring(at);
            }
            case 5 -> {
                applied.append("insert '- ' at ").append(at).append("; ");
                return text.substring(0, at) + "- " + text.substring(at);
            }
            case 6 -> {
                applied.append("insert tab at ").append(at).append("; ");
                return text.substring(0, at) + '\t' + text.substring(at);
            }
            case 7 -> {
                applied.append("truncate at ").append(at).append("; ");
                return text.substring(0, at);
            }
            default -> {
                String token = TOKENS.get(random.nextInt(TOKENS.size()));
                applied.append("insert '").append(token.replace("\n", "\\n")).append("' at ").append(at).append("; ");
                return text.substring(0, at) + token + text.substring(at);
            }
        }
        return String.join("\n", lines);
    }

    private static String indentation(String line) {
        return line.substring(0, line.length() - line.stripLeading().length());
    }
}
