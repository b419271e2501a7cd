package io.busbar.accounting;

import io.busbar.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the running accounting has handed to its targets: per output key without its revision
 * ({@link Keys#withoutRevision}), the revision sent, the interval's end and whether it was an
 * estimate. An interval is sent again only when its revision changes (late data, the real value
 * after an estimate). Saved whole (temp file + rename) after the buffer transaction that carried the
 * outputs committed; see {@link LiveAccounting} for what a crash in between costs.
 */
final class EmittedLog {

    record Entry(String revision, Instant end, boolean estimated) {
    }

    private final Path file;
    private final Map<String, Entry> entries = new HashMap<>();

    private EmittedLog(Path file) {
        this.file = file;
    }

    static EmittedLog open(Path file) {
        EmittedLog log = new EmittedLog(file);
        if (Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String[] parts = lines.get(i).split("\t");
                    if (parts.length != 4) {
                        throw new IllegalStateException(file + ":" + (i + 1) + ": not key, revision, end, estimated");
                    }
                    log.entries.put(parts[0], new Entry(parts[1], Instant.parse(parts[2]), "1".equals(parts[3])));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return log;
    }

    /** True when {@code key} (with its revision) has not been sent as it is. */
    boolean isNew(String key) {
        Entry entry = entries.get(Keys.withoutRevision(key));
        return entry == null || !entry.revision().equals(revisionOf(key));
    }

    /** True when an output with this key's identity was sent and its last revision is not {@link Keys#WITHDRAWN_REVISION}. */
    boolean standing(String key) {
        Entry entry = entries.get(Keys.withoutRevision(key));
        return entry != null && !entry.revision().equals(Keys.WITHDRAWN_REVISION);
    }

    void put(String key, Instant end, boolean estimated) {
        entries.put(Keys.withoutRevision(key), new Entry(revisionOf(key), end, estimated));
    }

    /** Forgets the outputs of intervals that ended before {@code horizon}: they are final. */
    void forgetBefore(Instant horizon) {
        entries.values().removeIf(entry -> entry.end().isBefore(horizon));
    }

    long estimated() {
        return entries.values().stream().filter(Entry::estimated).count();
    }

    int size() {
        return entries.size();
    }

    void save() {
        try {
            AtomicFiles.writeText(file, StandardCharsets.UTF_8, out -> {
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    out.write(e.getKey() + '\t' + e.getValue().revision() + '\t' + e.getValue().end() + '\t'
                            + (e.getValue().estimated() ? "1" : "0") + '\n');
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String revisionOf(String key) {
        int hash = key.lastIndexOf('#');
        return hash < 0 ? "" : key.substring(hash + 1);
    }
}
