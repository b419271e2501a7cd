package io.busbar.routes.source;

import io.busbar.connectors.opcua.HistoryResult;
import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.ServiceLevelListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted server for the engine's unit tests: the test says when it is connected, what it
 * streams and which nodes it historizes; history holds whatever was streamed or recorded.
 */
final class FakePairServer implements PairServer {

    private final ServerRole role;
    private final Set<String> historized;
    private final List<SampleListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<RawSample>> history = new ConcurrentHashMap<>();
    final List<Collection<String>> recreated = new CopyOnWriteArrayList<>();
    /** Every history read asked of this server, in order. */
    final List<HistoryRequest> historyReads = new CopyOnWriteArrayList<>();

    /** Every sample of history asked (each node's first values), in order. */
    final List<HistoryRequest> historySamples = new CopyOnWriteArrayList<>();

    record HistoryRequest(List<String> nodeIds, Instant from, Instant to) {
    }
    private volatile boolean connected = true;
    /** Samples of history are answered once this completes (a server slow to answer them). */
    private volatile CompletableFuture<Void> samplesAnswered = CompletableFuture.completedFuture(null);

    FakePairServer(ServerRole role, Set<String> historized) {
        this.role = role;
        this.historized = historized;
    }

    /** The server measured these values at {@code at}: they enter its history (for historized nodes). */
    void record(Instant at, Map<String, Object> values) {
        values.forEach((node, value) -> {
            if (historized.contains(node)) {
                history.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>()).add(sample(node, value, at));
            }
        });
    }

    /** Records the values and streams them to the subscribers, as one publish response. */
    void stream(Instant at, Map<String, Object> values) {
        record(at, values);
        List<RawSample> batch = new ArrayList<>();
        values.forEach((node, value) -> batch.add(sample(node, value, at)));
        listeners.forEach(listener -> listener.onSamples(role, batch));
    }

    /** Publish responses were lost for good: the client saw a sequence gap the server could not republish. */
    void losePublishes() {
        listeners.forEach(listener -> listener.onSamplesLost(role));
    }

    /** Samples of history asked from now on wait for the returned future to complete. */
    CompletableFuture<Void> holdSamples() {
        samplesAnswered = new CompletableFuture<>();
        return samplesAnswered;
    }

    boolean subscribed() {
        return !listeners.isEmpty();
    }

    void connected(boolean up) {
        connected = up;
    }

    private static RawSample sample(String node, Object value, Instant at) {
        return new RawSample(node, value, at, at, 0);
    }

    @Override
    public ServerRole role() {
        return role;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        connected = false;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public SourceSubscription subscribe(List<String> nodeIds, SampleListener listener) {
        listeners.add(listener);
        return new SourceSubscription() {
            @Override
            public void setPublishing(boolean enabled) {
            }

            @Override
            public void recreateItems(Collection<String> nodes) {
                recreated.add(List.copyOf(nodes));
            }
        };
    }

    @Override
    public void onServiceLevel(ServiceLevelListener listener) {
    }

    @Override
    public CompletableFuture<HistoryResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to) {
        if (!connected) {
            return CompletableFuture.failedFuture(new IllegalStateException(role + " not connected"));
        }
        historyReads.add(new HistoryRequest(List.copyOf(nodeIds), from, to));
        return CompletableFuture.completedFuture(history(nodeIds, from, to, Integer.MAX_VALUE));
    }

    @Override
    public CompletableFuture<HistoryResult> historyReadFirst(List<String> nodeIds, Instant from, Instant to,
                                                             int perNode) {
        if (!connected) {
            return CompletableFuture.failedFuture(new IllegalStateException(role + " not connected"));
        }
        historySamples.add(new HistoryRequest(List.copyOf(nodeIds), from, to));
        HistoryResult result = history(nodeIds, from, to, perNode);
        return samplesAnswered.thenApply(answered -> result);
    }

    private HistoryResult history(List<String> nodeIds, Instant from, Instant to, int perNode) {
        List<RawSample> samples = new ArrayList<>();
        Map<String, Long> failed = new LinkedHashMap<>();
        for (String node : nodeIds) {
            if (!historized.contains(node)) {
                failed.put(node, 0x80720000L); // Bad_HistoryOperationUnsupported
                continue;
            }
            history.getOrDefault(node, List.of()).stream()
                    .filter(s -> !s.sourceTime().isBefore(from) && s.sourceTime().isBefore(to))
                    .limit(perNode)
                    .forEach(samples::add);
        }
        return new HistoryResult(samples, failed);
    }
}
