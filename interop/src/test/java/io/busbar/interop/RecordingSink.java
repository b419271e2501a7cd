package io.busbar.interop;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.source.IngestBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stands in for the buffer: records every reading the source pair made "durable", which is what
 * every target would receive. Pass {@code sink::accept} to the runtime.
 */
final class RecordingSink {

    private final List<Reading> readings = new ArrayList<>();
    private final List<IngestBatch.SourceDeadLetter> deadLetters = new ArrayList<>();

    synchronized void accept(IngestBatch batch) {
        readings.addAll(batch.readings());
        deadLetters.addAll(batch.deadLetters());
    }

    /** What the pair sent to its dead-letter queue instead (unmappable values, failed validation). */
    synchronized List<IngestBatch.SourceDeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    synchronized List<Reading> readings() {
        return List.copyOf(readings);
    }

    /** How many distinct source seconds one server delivered so far. */
    long secondsFrom(ServerRole role) {
        return readings().stream().filter(r -> r.server() == role)
                .mapToLong(r -> r.sourceTime().getEpochSecond()).distinct().count();
    }

    /** Per series ({@code meter/quantity}), the newest source second delivered. */
    Map<String, Long> lastSecondPerSeries() {
        return readings().stream().collect(Collectors.toMap(r -> r.meter() + "/" + r.quantity(),
                r -> r.sourceTime().getEpochSecond(), Math::max));
    }

    /** Whether each of {@code series} series ({@code meter/quantity}) has delivered {@code second} or later. */
    boolean everySeriesReached(int series, long second) {
        Map<String, Long> last = lastSecondPerSeries();
        return last.size() == series && last.values().stream().allMatch(s -> s >= second);
    }

    /** Where an audit window starts: once every series has begun, since who subscribed first is no loss. */
    long firstCommonSecond() {
        return readings().stream().collect(Collectors.toMap(r -> r.meter() + "/" + r.quantity(),
                        r -> r.sourceTime().getEpochSecond(), Math::min))
                .values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** The latest source second delivered by any server; 0 before the first reading. */
    long lastSecond() {
        return readings().stream().mapToLong(r -> r.sourceTime().getEpochSecond()).max().orElse(0);
    }
}
