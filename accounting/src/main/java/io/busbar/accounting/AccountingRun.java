package io.busbar.accounting;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.support.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recomputes a period from a file of readings (JSON lines in the reading wire format) and writes
 * {@code intervals.jsonl} (derived readings), {@code events.jsonl} and {@code totals.csv} into a
 * folder, each replaced atomically. What {@code busbar accounting} runs.
 */
public final class AccountingRun {

    public static final String INTERVALS = "intervals.jsonl";
    public static final String EVENTS = "events.jsonl";
    public static final String TOTALS = "totals.csv";

    /** What a run wrote. */
    public record Summary(int readings, int intervals, int events, int totals, List<Accounting.Result> results) {
    }

    private AccountingRun() {
    }

    /**
     * @param mappings per source pair, its mapping (registers and {@code accounting:} block)
     * @param from     period start, or null (see {@link Accounting#compute})
     * @param to       period end, or null
     * @throws IllegalArgumentException naming the file and line of a line that is not a reading
     */
    public static Summary run(Map<String, Mapping> mappings, Path readingsFile, Path outDir, Instant from, Instant to) {
        List<Reading> readings = read(readingsFile);
        List<Accounting.Result> results = new ArrayList<>();
        for (Map.Entry<String, Mapping> pair : mappings.entrySet()) {
            Mapping mapping = pair.getValue();
            results.add(new Accounting(pair.getKey(), mapping.accounting(), mapping.registers()).compute(readings, from, to));
        }
        List<String> intervalLines = new ArrayList<>();
        List<String> eventLines = new ArrayList<>();
        List<TotalRow> totals = new ArrayList<>();
        for (Accounting.Result result : results) {
            result.intervals().forEach(r -> intervalLines.add(ReadingCodec.toJson(r)));
            result.events().forEach(e -> eventLines.add(EventJson.toJson(e)));
            totals.addAll(result.totals());
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + outDir, e);
        }
        writeLines(outDir.resolve(INTERVALS), intervalLines);
        writeLines(outDir.resolve(EVENTS), eventLines);
        Mapping first = mappings.values().stream().findFirst().orElse(null);
        var zone = first == null ? io.busbar.mappings.accounting.AccountingSpec.DEFAULT_TIME_ZONE : first.accounting().timeZone();
        new TotalsCsv(zone, '.', TotalsCsv.DEFAULT_DATE_FORMAT).write(outDir.resolve(TOTALS), totals, StandardCharsets.UTF_8);
        return new Summary(readings.size(), intervalLines.size(), eventLines.size(), totals.size(), results);
    }

    static List<Reading> read(Path file) {
        List<Reading> readings = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    readings.add(ReadingCodec.fromJson(line));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return readings;
    }

    private static void writeLines(Path file, List<String> lines) {
        try {
            AtomicFiles.writeLines(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
