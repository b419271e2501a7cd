package io.busbar.connectors.target.mqtt;

import io.busbar.connectors.target.RejectedReadingsException.Rejection;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each reading as one MQTT v5 message: topic from the {@link TopicTemplate}, payload the
 * reading in the JSON wire format (content type {@code application/json}).
 *
 * <p>Delivery semantics: QoS 1 by default (QoS 2 allowed). A batch counts as delivered when the
 * broker acknowledged every message of it (PUBACK for QoS 1, PUBCOMP for QoS 2); all messages are
 * sent before waiting, within the broker's receive maximum. The session is persistent
 * (clean start off, {@code session-expiry}), so the broker keeps it across reconnects. A batch that
 * failed is published again, so subscribers may see a reading twice and deduplicate by its
 * {@code key} (MQTT is at-least-once here, also with QoS 2, whose guarantee ends at one publish).
 * With {@code retained: true} each topic keeps its last value for new subscribers.
 *
 * <p>Failures: a broker that is down or does not acknowledge within {@code timeout} is a transient
 * failure (the connection is dropped and made again on the next attempt). A reading whose topic
 * would contain {@code +} or {@code #}, and a reading the broker refuses with a permanent reason code
 * (not authorized, topic name invalid, packet too large, payload format invalid) is rejected.
 *
 * <p>The connection is made on the first delivery, not at start, so Busbar starts while the broker
 * is down. The password is never logged.
 */
public final class MqttTarget implements Target {

    private static final Logger LOG = LoggerFactory.getLogger(MqttTarget.class);
    /** Messages in flight at most, whatever larger receive maximum the broker grants. */
    static final int MAX_IN_FLIGHT = 100;
    static final int KEEP_ALIVE_SECONDS = 30;
    private static final java.time.Duration IN_FLIGHT_POLL = java.time.Duration.ofMillis(1);
    /** MQTT v5 reason codes that a retry cannot change. */
    private static final Set<Integer> PERMANENT_REASON_CODES = Set.of(
            0x87, // not authorized
            0x90, // topic name invalid
            0x95, // packet too large
            0x99); // payload format invalid

    private final MqttTargetSettings settings;
    private final TopicTemplate topics;
    private boolean started;
    /** Made on the first delivery after start or after a failure; a failed one is thrown away whole. */
    private MqttAsyncClient client;
    private int window = MAX_IN_FLIGHT;

    public MqttTarget(MqttTargetSettings settings) {
        this.settings = settings;
        this.topics = TopicTemplate.parse(settings.topic());
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public synchronized void start() {
        started = true;
    }

    @Override
    public synchronized void deliver(List<Reading> batch) throws Exception {
        if (!started) {
            throw new IllegalStateException("mqtt target " + name() + " is not started");
        }
        connectIfNeeded();
        List<Rejection> rejections = new ArrayList<>();
        Deque<InFlight> inFlight = new ArrayDeque<>();
        try {
            for (Reading reading : batch) {
                String topic;
                try {
                    topic = topics.topicOf(reading);
                } catch (IllegalArgumentException e) {
                    rejections.add(new Rejection(reading, e.getMessage()));
                    continue;
                }
                while (inFlight.size() >= window) {
                    awaitAck(inFlight.poll(), rejections);
                }
                inFlight.add(new InFlight(reading, publish(topic, reading, inFlight, rejections)));
            }
            while (!inFlight.isEmpty()) {
                awaitAck(inFlight.poll(), rejections);
            }
        } catch (MqttException e) {
            discardClient();
            throw new MqttDeliveryException("mqtt target " + name() + ": batch of " + batch.size()
                    + " not acknowledged by " + settings.url() + ": " + e.getMessage() + " (reason code "
                    + e.getReasonCode() + ")", e);
        }
        if (!rejections.isEmpty()) {
            throw new RejectedReadingsException(rejections);
        }
    }

    private IMqttToken publish(String topic, Reading reading, Deque<InFlight> inFlight, List<Rejection> rejections)
            throws MqttException {
        MqttProperties properties = new MqttProperties();
        properties.setContentType("application/json");
        properties.setPayloadFormat(true);
        MqttMessage message = new MqttMessage(ReadingCodec.toJson(reading).getBytes(StandardCharsets.UTF_8),
                settings.qos(), settings.retained(), properties);
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (true) {
            try {
                return client.publish(topic, message);
            } catch (MqttException e) {
                // Paho counts a message in flight a little longer than its token says (the token
                // completes before the count drops): wait for the oldest acknowledgement, or a moment.
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                    throw e;
                }
                if (inFlight.isEmpty()) {
                    LockSupport.parkNanos(IN_FLIGHT_POLL.toNanos());
                } else {
                    awaitAck(inFlight.poll(), rejections);
                }
            }
        }
    }

    private void awaitAck(InFlight message, List<Rejection> rejections) throws MqttException {
        try {
            message.token().waitForCompletion(settings.timeout().toMillis());
        } catch (MqttException e) {
            if (PERMANENT_REASON_CODES.contains(e.getReasonCode())) {
                rejections.add(new Rejection(message.reading(), refusal(e.getReasonCode())));
                return;
            }
            throw e;
        }
        int[] codes = message.token().getReasonCodes();
        if (codes != null) {
            for (int code : codes) {
                if (PERMANENT_REASON_CODES.contains(code)) {
                    rejections.add(new Rejection(message.reading(), refusal(code)));
                    return;
                }
                if (code >= 0x80) {
                    throw new MqttException(code);
                }
            }
        }
    }

    private String refusal(int code) {
        return "MQTT broker " + settings.url() + " refused the message with reason code 0x" + Integer.toHexString(code);
    }

    private void connectIfNeeded() throws MqttDeliveryException {
        if (client != null && client.isConnected()) {
            return;
        }
        discardClient();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(new String[] {settings.url()});
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setConnectionTimeout((int) Math.max(1, settings.timeout().toSeconds()));
        settings.username().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        try {
            if (!settings.tls().isDefault()) {
                options.setSocketFactory(settings.tls().sslContext().getSocketFactory());
            }
            client = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence());
            IMqttToken token = client.connect(options);
            token.waitForCompletion(settings.timeout().toMillis() + 1000);
            window = MAX_IN_FLIGHT;
            if (token.getResponse() instanceof MqttConnAck ack && ack.getProperties() != null
                    && ack.getProperties().getReceiveMaximum() != null) {
                window = Math.max(1, Math.min(MAX_IN_FLIGHT, ack.getProperties().getReceiveMaximum()));
            }
            LOG.info("MQTT target {}: connected to {} as client {} (session present: {}, in flight at most {})",
                    name(), settings.url(), settings.clientId(), token.getSessionPresent(), window);
        } catch (MqttException e) {
            discardClient();
            throw new MqttDeliveryException("mqtt target " + name() + ": cannot connect to " + settings.url() + ": "
                    + e.getMessage() + " (reason code " + e.getReasonCode() + ")", e);
        } catch (Exception e) {
            discardClient();
            throw new MqttDeliveryException("mqtt target " + name() + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * After a failed attempt: throw the client away, so the next attempt starts with a fresh one
     * (a Paho client that lost its connection can stay "disconnecting" for a while). The broker
     * keeps the session; the batch is published again anyway.
     */
    private void discardClient() {
        if (client == null) {
            return;
        }
        try {
            client.disconnectForcibly(0, 100, false);
        } catch (MqttException alreadyDisconnected) {
            // nothing to drop
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT target {}: closing a failed client: {}", name(), e.getMessage());
        }
        client = null;
    }

    @Override
    public synchronized void close() {
        started = false;
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(settings.timeout().toMillis()).waitForCompletion(settings.timeout().toMillis());
            }
        } catch (MqttException e) {
            LOG.debug("MQTT target {}: disconnect failed: {}", name(), e.getMessage());
        } finally {
            discardClient();
        }
    }

    private record InFlight(Reading reading, IMqttToken token) {
    }

    /** A batch was not delivered: the broker is unreachable or did not acknowledge in time. */
    public static final class MqttDeliveryException extends Exception {
        MqttDeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
