package io.busbar.connectors.target.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.wire.ReadingCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTargetTest {

    @TempDir
    Path dir;

    private static Reading reading(int second) {
        Instant at = Instant.parse("2026-11-22T00:00:00Z").plusSeconds(second);
        return new Reading(ReadingKey.of("plant", "M1", "1-0:1.8.0", at), "plant", ServerRole.PRIMARY, "M1", "1-0:1.8.0",
                BigDecimal.valueOf(second), "kWh", BigDecimal.valueOf(second), at, at, Quality.GOOD, 0);
    }

    private List<Reading> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(ReadingCodec::fromJson).toList();
    }

    @Test
    void deliveredBatch_isOneLinePerReadingInTheWireFormat() throws Exception {
        Path file = dir.resolve("out/readings.jsonl");
        try (FileTarget target = new FileTarget(new FileTargetSettings("out", file))) {
            target.start();
            target.deliver(List.of(reading(1), reading(2)));
        }
        assertThat(lines(file)).containsExactly(reading(1), reading(2));
    }

    @Test
    void replayedBatch_afterARestart_isNotWrittenTwice() throws Exception {
        Path file = dir.resolve("readings.jsonl");
        try (FileTarget target = new FileTarget(new FileTargetSettings("out", file))) {
            target.start();
            target.deliver(List.of(reading(1), reading(2)));
        }
        try (FileTarget restarted = new FileTarget(new FileTargetSettings("out", file))) {
            restarted.start();
            restarted.deliver(List.of(reading(2), reading(3)));
            restarted.deliver(List.of(reading(3)));
        }
        assertThat(lines(file)).extracting(Reading::key)
                .containsExactly(reading(1).key(), reading(2).key(), reading(3).key());
    }

    @Test
    void lineCutByACrash_isClosedSoTheNextLineIsWhole() throws Exception {
        Path file = dir.resolve("readings.jsonl");
        String whole = ReadingCodec.toJson(reading(1)) + "\n";
        Files.writeString(file, whole + "{\"key\":\"plant/M1/1-0:1.8.0/2026-11-22T00:00:02Z\",\"pa", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE);
        try (FileTarget target = new FileTarget(new FileTargetSettings("out", file))) {
            target.start();
            target.deliver(List.of(reading(2)));
        }
        List<String> text = Files.readAllLines(file);
        assertThat(text).hasSize(3);
        assertThat(ReadingCodec.fromJson(text.get(2))).isEqualTo(reading(2));
    }

    @Test
    void recentKeys_forgetTheOldestBeyondCapacity() {
        RecentKeys keys = new RecentKeys(2);
        keys.add("a");
        keys.add("b");
        keys.add("c");

        assertThat(keys.contains("a")).isFalse();
        assertThat(keys.contains("b")).isTrue();
        assertThat(keys.contains("c")).isTrue();
        assertThat(keys.size()).isEqualTo(2);
    }

    @Test
    void recentKeys_agreeWithASetOfTheLastKeys_whileTheOldestAreForgotten() {
        // small capacity and a narrow key space: many hits, misses, evictions and probe chains
        RecentKeys keys = new RecentKeys(50);
        java.util.LinkedHashSet<String> model = new java.util.LinkedHashSet<>();
        java.util.Random random = new java.util.Random(15);
        for (int i = 0; i < 20_000; i++) {
            String key = "pair/meter-" + random.nextInt(200) + "/1-0:1.8.0";
            assertThat(keys.contains(key)).as("key %s at step %d", key, i).isEqualTo(model.contains(key));
            keys.add(key);
            if (model.add(key) && model.size() > 50) {
                model.remove(model.iterator().next());
            }
            assertThat(keys.size()).isEqualTo(model.size());
        }
    }

    @Test
    void recentKeys_startSmall_growWithTheKeysUpToTheCapacity_andStillAgreeWithASetOfTheLastKeys() {
        // a capacity that is not a power of two and several growths: 1,024 -> 2,048 -> 4,096 -> 5,000
        int capacity = 5_000;
        RecentKeys keys = new RecentKeys(capacity);
        assertThat(keys.allocatedKeys()).isEqualTo(RecentKeys.INITIAL_KEYS);
        java.util.LinkedHashSet<String> model = new java.util.LinkedHashSet<>();
        java.util.Random random = new java.util.Random(12);
        for (int i = 0; i < 40_000; i++) {
            String key = "pair/meter-" + random.nextInt(12_000) + "/1-0:1.8.0";
            assertThat(keys.contains(key)).as("key %s at step %d", key, i).isEqualTo(model.contains(key));
            keys.add(key);
            if (model.add(key) && model.size() > capacity) {
                model.remove(model.iterator().next());
            }
            assertThat(keys.size()).isEqualTo(model.size());
            assertThat(keys.allocatedKeys()).isBetween(keys.size(), capacity);
        }
        assertThat(keys.allocatedKeys()).isEqualTo(capacity);
        for (String key : model) {
            assertThat(keys.contains(key)).as(key).isTrue();
        }
    }

    @Test
    void recentKeys_ofAFileTarget_holdOnlyWhatWasWritten_notTheirCapacity() {
        RecentKeys keys = new RecentKeys(FileTarget.RECENT_KEYS);
        for (int i = 0; i < 3_000; i++) {
            keys.add("pair/meter-" + i + "/1-0:1.8.0");
        }
        assertThat(keys.allocatedKeys()).isEqualTo(4_096);
    }

    @Test
    void recentKeys_hashIsFnv1aOfTheUtf8Bytes_forAsciiAndOtherKeys() {
        for (String key : List.of("plant/M1/1-0:1.8.0/2026-11-22T00:00:00Z", "Zähler/ü/€/😀", "")) {
            long expected = 0xcbf29ce484222325L;
            for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
                expected = (expected ^ (b & 0xff)) * 0x100000001b3L;
            }
            assertThat(RecentKeys.hash(key)).as(key).isEqualTo(expected);
        }
    }

    @Test
    void batchLargerThanTheWriteBuffer_landsWholeAndInOrder() throws Exception {
        Path file = dir.resolve("readings.jsonl");
        List<Reading> batch = java.util.stream.IntStream.range(0, 3 * FileTarget.OUT_BYTES / 200)
                .mapToObj(FileTargetTest::reading).toList();
        try (FileTarget target = new FileTarget(new FileTargetSettings("out", file))) {
            target.start();
            target.deliver(batch);
            target.deliver(batch);
        }
        assertThat(Files.size(file)).isGreaterThan(2L * FileTarget.OUT_BYTES);
        assertThat(lines(file)).containsExactlyElementsOf(batch);
    }

    @Test
    void pathUnusableAtStart_startsAnyway_deliveryFailsTransiently_thenWritesOnceThePathWorks() throws Exception {
        Path file = dir.resolve("share/readings.jsonl");
        Files.createDirectories(file); // a directory where the file should be, as an unmounted share may look
        try (FileTarget target = new FileTarget(new FileTargetSettings("out", file))) {
            target.start();
            List<Reading> batch = io.busbar.connectors.support.TestReadings.batch(3);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> target.deliver(batch))
                    .isInstanceOf(java.io.IOException.class);

            Files.delete(file);
            target.deliver(batch);

            assertThat(Files.readAllLines(file)).hasSize(3);
        }
    }
}
