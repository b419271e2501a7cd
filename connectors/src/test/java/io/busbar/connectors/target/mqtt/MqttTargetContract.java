package io.busbar.connectors.target.mqtt;

import static io.busbar.connectors.support.TestReadings.batch;
import static io.busbar.connectors.support.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.support.TcpProxy;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every MQTT broker must hold after {@link MqttTarget} delivered: the same tests run against
 * Mosquitto (when it runs on this machine) and against an embedded Artemis broker (always).
 * A second, independent client subscribes and compares what arrived.
 */
abstract class MqttTargetContract {

    protected static final Duration WAIT = Duration.ofSeconds(10);

    /** Topic root unique to the test, so retained messages of earlier runs never interfere. */
    protected String root;
    private final List<MqttClient> subscribers = new ArrayList<>();
    private final List<MqttTarget> targets = new ArrayList<>();

    /** The broker's URL, e.g. tcp://127.0.0.1:1883. */
    protected abstract String brokerUrl();

    /** Settings a client of this broker needs (credentials, TLS) on top of {@code base}. */
    protected MqttTargetSettings withAccess(MqttTargetSettings base) {
        return base;
    }

    protected MqttConnectionOptions subscriberOptions() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        return options;
    }

    @BeforeEach
    void topicRoot() {
        root = "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeClients() throws Exception {
        for (MqttTarget target : targets) {
            target.close();
        }
        for (MqttClient subscriber : subscribers) {
            if (subscriber.isConnected()) {
                subscriber.disconnect();
            }
            subscriber.close();
        }
    }

    protected MqttTargetSettings settings(String url) {
        return withAccess(MqttTargetSettings.of("meters-" + root, url)
                .withTopic(root + "/{pair}/{meter}/{quantity}")
                .withTimeout(Duration.ofSeconds(3)));
    }

    protected MqttTarget started(MqttTargetSettings settings) throws Exception {
        MqttTarget target = new MqttTarget(settings);
        target.start();
        targets.add(target);
        return target;
    }

    protected List<Received> subscribe(int qos) throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        MqttClient subscriber = new MqttClient(brokerUrl(), "sub-" + UUID.randomUUID(), new MemoryPersistence());
        subscriber.connect(subscriberOptions());
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription(root + "/#", qos)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> received.add(
                        new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()))});
        subscribers.add(subscriber);
        return received;
    }

    protected record Received(String topic, String payload, boolean retained) {
        Reading reading() {
            return ReadingCodec.fromJson(payload);
        }
    }

    @Test
    void batch_arrivesOnTemplatedTopics_asWireJson() throws Exception {
        List<Received> received = subscribe(1);
        MqttTarget target = started(settings(brokerUrl()));
        List<Reading> batch = batch(25);

        target.deliver(batch);

        await().atMost(WAIT).until(() -> received.size() >= batch.size());
        assertThat(received).extracting(Received::topic)
                .containsExactlyInAnyOrderElementsOf(batch.stream()
                        .map(r -> root + "/plant/" + r.meter() + "/1-0:1.8.0").toList());
        assertThat(received).extracting(Received::reading).containsExactlyInAnyOrderElementsOf(batch);
    }

    @Test
    void qos2_everyMessageArrivesExactlyOnce() throws Exception {
        List<Received> received = subscribe(2);
        MqttTarget target = started(settings(brokerUrl()).withQos(2));
        List<Reading> batch = batch(30);

        target.deliver(batch);

        await().atMost(WAIT).until(() -> received.size() >= batch.size());
        assertThat(received).extracting(Received::reading).containsExactlyInAnyOrderElementsOf(batch);
    }

    @Test
    void retained_aLaterSubscriberGetsTheLastValueOfEachTopic() throws Exception {
        MqttTarget target = started(settings(brokerUrl()).withRetained(true));
        Reading older = reading("Meter001", "1-0:1.8.0", "10.5", io.busbar.connectors.support.TestReadings.T0);
        Reading newer = reading("Meter001", "1-0:1.8.0", "11.25", older.sourceTime().plusSeconds(60));
        Reading other = reading("Meter002", "1-0:2.8.0", "3.000", older.sourceTime());
        target.deliver(List.of(older, newer, other));

        List<Received> received = subscribe(1);

        await().atMost(WAIT).until(() -> received.size() >= 2);
        assertThat(received).allMatch(Received::retained);
        assertThat(received).extracting(Received::reading).containsExactlyInAnyOrder(newer, other);
        clearRetained(List.of(newer, other));
    }

    @Test
    void readingWhoseTopicWouldHoldAWildcard_isRejected_andTheRestDelivered() throws Exception {
        List<Received> received = subscribe(1);
        MqttTarget target = started(settings(brokerUrl()));
        Reading good = reading("Meter001", "1-0:1.8.0", "1.0", io.busbar.connectors.support.TestReadings.T0);
        Reading wildcard = reading("Meter+1", "1-0:1.8.0", "2.0", io.busbar.connectors.support.TestReadings.T0);

        assertThatThrownBy(() -> target.deliver(List.of(good, wildcard)))
                .isInstanceOfSatisfying(RejectedReadingsException.class, e -> {
                    assertThat(e.rejections()).singleElement().satisfies(r -> {
                        assertThat(r.reading()).isEqualTo(wildcard);
                        assertThat(r.reason()).contains("'+'");
                    });
                });

        await().atMost(WAIT).until(() -> received.size() >= 1);
        assertThat(received).extracting(Received::reading).containsExactly(good);
    }

    @Test
    void brokerDown_deliverFailsTransiently_thenTheSameBatchArrivesWhenItIsBack() throws Exception {
        String host = brokerUrl().replaceFirst("^[a-z]+://", "").replaceFirst(":\\d+$", "");
        int port = Integer.parseInt(brokerUrl().replaceFirst("^.*:", ""));
        try (TcpProxy proxy = new TcpProxy(host, port)) {
            List<Received> received = subscribe(1);
            MqttTarget target = started(settings(brokerUrl().replaceFirst(":\\d+$", ":" + proxy.port())));
            target.deliver(batch(3));
            await().atMost(WAIT).until(() -> received.size() >= 3);

            proxy.stop();
            List<Reading> during = batch(10, io.busbar.connectors.support.TestReadings.T0.plusSeconds(100));
            assertThatThrownBy(() -> target.deliver(during))
                    .isNotInstanceOf(RejectedReadingsException.class)
                    .isInstanceOf(MqttTarget.MqttDeliveryException.class);

            proxy.start();
            target.deliver(during);

            await().atMost(WAIT).until(() -> received.stream().map(Received::reading).toList().containsAll(during));
            // at-least-once: a message may be repeated, none is missing
            assertThat(received).extracting(Received::reading).containsAll(during);
        }
    }

    private void clearRetained(List<Reading> readings) throws Exception {
        MqttClient cleaner = new MqttClient(brokerUrl(), "clean-" + UUID.randomUUID(), new MemoryPersistence());
        cleaner.connect(subscriberOptions());
        for (Reading r : readings) {
            cleaner.publish(root + "/plant/" + r.meter() + "/" + r.quantity(), new byte[0], 1, true);
        }
        cleaner.disconnect();
        cleaner.close();
    }
}
