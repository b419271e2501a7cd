package io.busbar.routes.uplink;

import io.busbar.connectors.uplink.BadUplinkException;
import io.busbar.connectors.uplink.Uplink;
import io.busbar.connectors.uplink.UplinkParser;
import io.busbar.mappings.model.Reading;
import io.busbar.routes.source.IngestBatch.SourceDeadLetter;
import io.busbar.routes.source.IngestBatch;
import io.busbar.support.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a network server's uplinks from an MQTT broker into the durable buffer.
 *
 * <p>Lifecycle: {@link #start()} connects (retrying until the broker answers) with a fixed client
 * id, clean start off and a session expiry, and subscribes at QoS 1, so uplinks published while
 * Busbar is down wait in the broker. Each uplink is acknowledged (PUBACK, manual acks) only after
 * its readings — or its dead letter — were committed to the buffer by the hand-off; a crash before
 * that makes the broker deliver it again, and the reading key (source + meter + quantity + the
 * uplink's own time) makes the repeat the same reading. {@link #close()} disconnects, leaving the
 * session (and what it queues) in the broker.
 *
 * <p>Uplinks are accepted in any order: there is no watermark, only the key. Keys already buffered
 * recently are not buffered again (the same uplink through two gateways, or redelivered); older
 * repeats reach the targets, which are idempotent by key.
 */
public final class UplinkSource implements AutoCloseable {

    /** Hands a batch to the ingest route; returns once it is durable, throws otherwise. */
    @FunctionalInterface
    public interface Handoff {
        void handOff(IngestBatch batch) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(UplinkSource.class);

    /** Uplinks per ingest transaction at most; the broker's in-flight window usually limits it first. */
    static final int MAX_BATCH = 500;
    /** How many reading keys are remembered to drop repeats before they reach the buffer. */
    static final int RECENT_KEYS = 200_000;
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(2);
    private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(30);
    private static final int KEEP_ALIVE_SECONDS = 30;

    /** @param via the connection that delivered it: only that one may acknowledge it */
    private record Arrived(MqttAsyncClient via, int id, int qos, byte[] payload) {
    }

    private final UplinkSourcePlan plan;
    private final Handoff handoff;
    private final Clock clock;
    private final UplinkParser parser;
    private final UplinkMapper mapper;
    private final BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
    /** Written by the ingest thread only. */
    private final Map<String, Boolean> recentKeys = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_KEYS;
        }
    };
    private final AtomicLong uplinks = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final UplinkRate rate;
    /** Empty when the source has no expected interval. */
    private final Optional<DeviceSilence> silence;
    private volatile Instant lastUplink;
    private volatile String lastError;
    private volatile boolean running;
    private volatile MqttAsyncClient client;
    private Thread ingestThread;
    private Thread connectThread;

    public UplinkSource(UplinkSourcePlan plan, Handoff handoff, Clock clock) {
        this.plan = plan;
        this.handoff = handoff;
        this.clock = clock;
        this.parser = new UplinkParser(plan.timeSource(), plan.deviceTimePointer());
        this.mapper = new UplinkMapper(plan.mapping());
        this.rate = new UplinkRate(clock);
        this.silence = plan.expectedInterval().map(interval -> new DeviceSilence(mapper.metersByDevice(), interval));
    }

    public String name() {
        return plan.name();
    }

    public synchronized void start() {
        running = true;
        silence.ifPresent(watch -> watch.started(clock.instant()));
        ingestThread = DaemonThreads.start("uplinks-" + plan.name(), this::ingestLoop);
        connectThread = DaemonThreads.start("uplinks-connect-" + plan.name(), this::connectLoop);
        LOG.info("Uplink source {}: {} devices mapped, subscribing to {} on {}", plan.name(), mapper.devices(),
                plan.topics(), plan.url());
    }

    public UplinkSourceStatus status() {
        MqttAsyncClient current = client;
        return new UplinkSourceStatus(current != null && current.isConnected(), Optional.ofNullable(lastUplink),
                uplinks.get(), rate.perSecond(), readings.get(), duplicates.get(), deadLetters.get(),
                Optional.ofNullable(lastError), silence.map(watch -> watch.silent(clock.instant())));
    }

    /** Keeps a connection up: connects, and after a loss connects again (the session resumes). */
    private void connectLoop() {
        while (running) {
            MqttAsyncClient current = client;
            if (current == null || !current.isConnected()) {
                discard(current);
                connect();
            }
            sleep(RECONNECT_WAIT);
        }
    }

    private void connect() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(plan.sessionExpiry().toSeconds());
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setConnectionTimeout(10);
        plan.username().ifPresent(options::setUserName);
        plan.password().ifPresent(p -> options.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        MqttAsyncClient next = null;
        try {
            if (!plan.tls().isDefault()) {
                options.setSocketFactory(plan.tls().sslContext().getSocketFactory());
            }
            next = new MqttAsyncClient(plan.url(), plan.clientId(), new MemoryPersistence());
            next.setManualAcks(true);
            next.setCallback(new Callback(next));
            client = next; // a resumed session delivers right after CONNACK, before subscribe returns
            IMqttToken connected = next.connect(options);
            connected.waitForCompletion(15_000);
            int[] qos = new int[plan.topics().size()];
            java.util.Arrays.fill(qos, 1);
            next.subscribe(plan.topics().toArray(String[]::new), qos).waitForCompletion(15_000);
            lastError = null;
            LOG.info("Uplink source {}: connected to {} as {} (session present: {})", plan.name(), plan.url(),
                    plan.clientId(), connected.getSessionPresent());
        } catch (MqttException e) {
            failed(next, "cannot connect to " + plan.url() + ": " + e.getMessage() + " (reason code "
                    + e.getReasonCode() + ")");
        } catch (Exception e) {
            failed(next, "cannot connect to " + plan.url() + ": " + e.getMessage());
        }
    }

    private void failed(MqttAsyncClient next, String reason) {
        if (!reason.equals(lastError)) {
            LOG.warn("Uplink source {}: {}", plan.name(), reason);
        }
        lastError = reason;
        client = null;
        discard(next);
    }

    private final class Callback implements MqttCallback {
        private final MqttAsyncClient via;

        Callback(MqttAsyncClient via) {
            this.via = via;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            lastError = "disconnected: " + response.getReasonString();
            LOG.warn("Uplink source {}: {}", plan.name(), lastError);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            lastError = exception.getMessage();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            lastUplink = clock.instant();
            arrived.add(new Arrived(via, message.getId(), message.getQos(), message.getPayload()));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private void ingestLoop() {
        while (running) {
            List<Arrived> batch = new ArrayList<>();
            try {
                Arrived first = arrived.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                arrived.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ingest(batch);
        }
    }

    /** Makes the batch durable (retrying while Busbar runs), then acknowledges its uplinks. */
    private void ingest(List<Arrived> batch) {
        List<Reading> fresh = new ArrayList<>();
        List<SourceDeadLetter> letters = new ArrayList<>();
        Set<String> batchKeys = new HashSet<>();
        long repeated = 0;
        for (Arrived message : batch) {
            try {
                Uplink uplink = parser.parse(message.payload());
                silence.ifPresent(watch -> watch.heard(uplink.device(), clock.instant()));
                UplinkMapper.Mapped mapped = mapper.map(uplink);
                for (Reading reading : mapped.readings()) {
                    if (recentKeys.containsKey(reading.key()) || !batchKeys.add(reading.key())) {
                        repeated++;
                    } else {
                        fresh.add(reading);
                    }
                }
                if (!mapped.problems().isEmpty()) {
                    letters.add(new SourceDeadLetter(message.payload(), String.join("; ", mapped.problems()), false));
                }
            } catch (BadUplinkException e) {
                letters.add(new SourceDeadLetter(message.payload(), e.getMessage(), false));
            }
        }
        Duration wait = Duration.ofMillis(500);
        while (running) {
            try {
                handoff.handOff(new IngestBatch(fresh, letters));
                break;
            } catch (Exception e) {
                // not acknowledged: the broker keeps the uplinks; try again rather than reconnect
                lastError = "ingest failed: " + e.getMessage();
                LOG.warn("Uplink source {}: {} (retrying in {})", plan.name(), lastError, wait);
                sleep(wait);
                wait = wait.multipliedBy(2).compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : wait.multipliedBy(2);
            }
        }
        if (!running) {
            return; // not durable: the broker delivers them again after the restart
        }
        batchKeys.forEach(key -> recentKeys.put(key, Boolean.TRUE));
        uplinks.addAndGet(batch.size());
        readings.addAndGet(fresh.size());
        duplicates.addAndGet(repeated);
        deadLetters.addAndGet(letters.size());
        rate.add(batch.size());
        acknowledge(batch);
    }

    private void acknowledge(List<Arrived> batch) {
        MqttAsyncClient current = client;
        for (Arrived message : batch) {
            if (message.qos() == 0 || message.via() != current) {
                continue; // its connection is gone: the broker delivers it again and the key drops the repeat
            }
            try {
                current.messageArrivedComplete(message.id(), message.qos());
            } catch (MqttException e) {
                LOG.debug("Uplink source {}: cannot acknowledge message {}: {}", plan.name(), message.id(),
                        e.getMessage());
            }
        }
    }

    private static void discard(MqttAsyncClient stale) {
        if (stale == null) {
            return;
        }
        try {
            stale.disconnectForcibly(0, 100, false);
        } catch (MqttException alreadyDisconnected) {
            // nothing to drop
        }
        try {
            stale.close(true);
        } catch (MqttException ignored) {
            // closing a failed client
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (connectThread != null) {
            connectThread.interrupt();
        }
        if (ingestThread != null) {
            ingestThread.interrupt();
            try {
                ingestThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        MqttAsyncClient current = client;
        client = null;
        if (current != null) {
            try {
                current.disconnect().waitForCompletion(5_000);
            } catch (MqttException e) {
                LOG.debug("Uplink source {}: disconnect: {}", plan.name(), e.getMessage());
            }
            discard(current);
        }
        arrived.clear(); // not acknowledged: the broker delivers them again
    }
}
