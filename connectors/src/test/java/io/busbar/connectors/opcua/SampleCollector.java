package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Keeps every sample a source delivers, for assertions from the test thread. */
final class SampleCollector implements SampleListener {

    private final Queue<RawSample> samples = new ConcurrentLinkedQueue<>();
    private final Queue<ServerRole> roles = new ConcurrentLinkedQueue<>();

    @Override
    public void onSamples(ServerRole role, List<RawSample> batch) {
        roles.add(role);
        samples.addAll(batch);
    }

    List<RawSample> samples() {
        return List.copyOf(samples);
    }

    List<RawSample> samples(String nodeId) {
        return samples.stream().filter(sample -> sample.nodeId().equals(nodeId)).toList();
    }

    List<ServerRole> roles() {
        return List.copyOf(roles);
    }

    boolean hasSampleAtOrAfter(String nodeId, Instant sourceTime) {
        return samples(nodeId).stream().anyMatch(sample -> !sample.sourceTime().isBefore(sourceTime));
    }

    /** The samples by "node id @ source time"; a node delivers one value per source second. */
    Map<String, RawSample> byNodeAndSourceTime() {
        return samples.stream().collect(Collectors.toMap(
                sample -> sample.nodeId() + "@" + sample.sourceTime(), Function.identity(), (first, second) -> first));
    }
}
