package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatermarkFileTest {

    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void saveThenLoad_givesTheSameWatermarks() throws Exception {
        Map<String, Instant> watermarks = new HashMap<>();
        for (int node = 0; node < 1_000; node++) {
            watermarks.put("ns=2;s=Meter" + node + ".Energy", T0.plusMillis(node % 3 == 0 ? node : 0).plusNanos(node % 7));
        }
        WatermarkFile file = new WatermarkFile(dir.resolve("watermarks/plant.json"));

        file.save(watermarks);

        assertThat(file.load()).isEqualTo(watermarks);
        assertThat(dir.resolve("watermarks/plant.json.tmp")).doesNotExist();
    }

    /** The file format predates the streaming writer: node → ISO time, sorted, so older versions read it. */
    @Test
    void file_isAJsonObjectOfIsoTimesSortedByNode() throws Exception {
        WatermarkFile file = new WatermarkFile(dir.resolve("plant.json"));

        file.save(Map.of("ns=2;s=b", T0.plusMillis(250), "ns=2;s=a", T0, "ns=2;s=\"q\"", T0));

        assertThat(Files.readString(dir.resolve("plant.json"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"ns=2;s=\\\"q\\\"\":\"2026-11-22T00:00:00Z\",\"ns=2;s=a\":\"2026-11-22T00:00:00Z\","
                        + "\"ns=2;s=b\":\"2026-11-22T00:00:00.250Z\"}");
    }

    /** The sorted node list is kept between saves; a changed node set must not reuse it. */
    @Test
    void savesWithChangingNodes_eachLoadBackExactly() throws Exception {
        WatermarkFile file = new WatermarkFile(dir.resolve("plant.json"));
        Map<String, Instant> first = Map.of("a", T0, "b", T0);
        Map<String, Instant> same = Map.of("a", T0.plusSeconds(1), "b", T0.plusSeconds(1));
        Map<String, Instant> swapped = Map.of("a", T0, "c", T0);
        Map<String, Instant> grown = Map.of("a", T0, "c", T0, "d", T0);

        for (Map<String, Instant> watermarks : java.util.List.of(first, same, swapped, grown, first)) {
            file.save(watermarks);
            assertThat(file.load()).isEqualTo(watermarks);
        }
    }

    @Test
    void missingFile_loadsEmpty() throws Exception {
        assertThat(new WatermarkFile(dir.resolve("none.json")).load()).isEmpty();
    }
}
