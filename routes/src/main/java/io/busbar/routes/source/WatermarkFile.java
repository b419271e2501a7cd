package io.busbar.routes.source;

import io.busbar.support.AtomicFiles;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-node watermarks of a source pair on disk (node id → newest source time made durable), so
 * that after a restart or a crash Busbar backfills exactly the time it was down. Written atomically
 * (temp file, fsync, rename): a crash leaves the previous or the new file, never a torn one.
 *
 * <p>It is saved shortly after the buffer accepted readings, not in the same transaction, so after
 * a crash the watermarks may lag the buffer by up to one save period. The file records the last
 * batch it covers ({@value #SEQ_KEY}); the {@link ForwardLog} in the buffer holds the batches after
 * it, so a restart knows what is durable without reading it again. Without a log (distributed
 * mode) the readings of that period are read again and reach targets a second time with the same
 * key (idempotent targets keep them once).
 */
final class WatermarkFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> TYPE = new TypeReference<>() {
    };

    private final Path file;
    /** The nodes of the last save, sorted; the set rarely changes, so most saves skip the sort. */
    private List<String> sortedNodes = List.of();

    WatermarkFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The reserved entry with the sequence number of the last batch the saved watermarks cover. */
    static final String SEQ_KEY = "$seq";

    /** @return the saved watermarks, empty when none were saved; a damaged file is an error */
    Map<String, Instant> load() throws IOException {
        Map<String, Instant> watermarks = new HashMap<>();
        stored().forEach((node, time) -> {
            if (!node.equals(SEQ_KEY)) {
                watermarks.put(node, Instant.parse(time));
            }
        });
        return watermarks;
    }

    /** @return the sequence number of the last batch the saved watermarks cover; 0 when not saved (older files) */
    long loadSeq() throws IOException {
        String seq = stored().get(SEQ_KEY);
        return seq == null ? 0 : Long.parseLong(seq);
    }

    private Map<String, String> stored() throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(file), TYPE);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
    }

    void save(Map<String, Instant> watermarks) throws IOException {
        save(watermarks, 0);
    }

    /** @param seq the last batch (see {@link IngestBatch#seq}) whose readings these watermarks include */
    void save(Map<String, Instant> watermarks, long seq) throws IOException {
        AtomicFiles.write(file, encode(watermarks, seq));
    }

    /**
     * The same JSON object as before (node → ISO time, sorted by node), written with a streaming
     * generator: this runs every save period with every node of the pair (10,000 in the benchmark),
     * and most nodes share one of a few source times, so each time is formatted once.
     */
    byte[] encode(Map<String, Instant> watermarks) throws IOException {
        return encode(watermarks, 0);
    }

    private byte[] encode(Map<String, Instant> watermarks, long seq) throws IOException {
        List<String> nodes = sortedNodes(watermarks);
        Map<Instant, String> texts = new HashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(nodes.size() * 64 + 2);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            if (seq > 0) {
                json.writeStringField(SEQ_KEY, Long.toString(seq));
            }
            for (String node : nodes) {
                json.writeStringField(node, texts.computeIfAbsent(watermarks.get(node), Instant::toString));
            }
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private List<String> sortedNodes(Map<String, Instant> watermarks) {
        List<String> nodes = sortedNodes;
        if (nodes.size() != watermarks.size() || !nodes.stream().allMatch(watermarks::containsKey)) {
            nodes = new ArrayList<>(watermarks.keySet());
            nodes.sort(null);
            sortedNodes = nodes;
        }
        return nodes;
    }
}
