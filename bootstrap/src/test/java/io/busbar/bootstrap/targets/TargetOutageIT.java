package io.busbar.bootstrap.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.bootstrap.support.BufferedDelivery;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.connectors.support.RecordingHttpServer;
import io.busbar.connectors.support.TcpProxy;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.target.Targets;
import io.busbar.connectors.target.http.HttpTargetSettings;
import io.busbar.connectors.target.influxdb.InfluxDbTargetSettings;
import io.busbar.connectors.target.kafka.KafkaTargetSettings;
import io.busbar.connectors.target.mqtt.MqttTargetSettings;
import io.busbar.connectors.target.sql.SqlTargetSettings;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.support.testing.LocalService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Each target's server goes away for {@link #OUTAGE} while readings keep coming, then comes back
 * on the same address: every reading reaches it, and an idempotent target holds none twice. The
 * whole path is real — the embedded broker's journal, the delivery route with its retries, the
 * target, and the server (PostgreSQL, H2 in server mode, Mosquitto, InfluxDB, an HTTP server);
 * the outage is a {@link TcpProxy} taken down in front of the server (every connection reset, new
 * ones refused), or the HTTP server itself stopped. Servers this machine does not run are skipped
 * with the reason.
 */
class TargetOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration BATCH_EVERY = Duration.ofMillis(200);
    private static final int METERS = 4;
    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> fedKeys = new ConcurrentSkipListSet<>();
    private final AtomicLong fedBatches = new AtomicLong();

    @AfterEach
    void stop() throws Exception {
        feeder.shutdownNow();
        feeder.awaitTermination(5, TimeUnit.SECONDS);
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** What a test gives: the target's settings, how to take its server down and up, what the server holds. */
    private interface Outage {
        void down() throws Exception;

        void up() throws Exception;
    }

    @FunctionalInterface
    private interface StoredKeys {
        Collection<String> read() throws Exception;
    }

    /**
     * Feeds batches for the whole scenario: readings flow, the server goes down for the outage with
     * readings still coming, comes back, readings flow a little longer; then everything fed must be
     * stored.
     */
    private void runOutage(TargetSettings settings, Outage outage, StoredKeys stored, boolean idempotent)
            throws Exception {
        Target target = Targets.create(settings);
        target.start();
        resources.add(target);
        BufferedDelivery busbar = BufferedDelivery.start(dir, List.of(target), BufferedDelivery.quickRetry());
        resources.add(busbar);
        feeder.scheduleAtFixedRate(() -> feed(busbar), 0, BATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);

        await("readings flowing before the outage").atMost(Duration.ofSeconds(20))
                .until(() -> stored.read().size() >= 5 * METERS);
        outage.down();
        long fedAtDown = fedBatches.get();
        // a batch in flight at the moment of the cut may still complete; after a second nothing can
        await().atMost(Duration.ofSeconds(5)).until(() -> fedBatches.get() - fedAtDown >= 5);
        double deliveredEarlyInOutage = busbar.counter("busbar.target.delivered", settings.name());
        // the outage lasts as long as it takes the feeder to produce OUTAGE worth of batches
        await("readings fed during the outage").atMost(OUTAGE.multipliedBy(2))
                .until(() -> fedBatches.get() - fedAtDown >= OUTAGE.toMillis() / BATCH_EVERY.toMillis());
        assertThat(busbar.counter("busbar.target.delivered", settings.name()))
                .as("readings the target confirmed while its server was down").isEqualTo(deliveredEarlyInOutage);
        outage.up();
        long fedAtUp = fedBatches.get();
        await("readings fed after the outage").atMost(Duration.ofSeconds(10)).until(() -> fedBatches.get() - fedAtUp >= 10);
        feeder.shutdownNow();
        feeder.awaitTermination(5, TimeUnit.SECONDS);

        Set<String> fed = Set.copyOf(fedKeys);
        await("every reading stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Set.copyOf(stored.read()).containsAll(fed));
        List<String> keys = List.copyOf(stored.read());
        assertThat(Set.copyOf(keys)).as("stored keys").isEqualTo(fed);
        assertThat(fed).as("readings fed").hasSizeGreaterThan((int) (OUTAGE.toMillis() / BATCH_EVERY.toMillis()) * METERS);
        if (idempotent) {
            assertThat(keys).as("stored readings").hasSameSizeAs(fed);
        }
    }

    private void feed(BufferedDelivery busbar) {
        long n = fedBatches.get();
        List<Reading> batch = BufferedDelivery.batch(METERS, T0.plusSeconds(n), n);
        busbar.ingest(batch);
        batch.forEach(r -> fedKeys.add(r.key()));
        fedBatches.incrementAndGet();
    }

    private TcpProxy proxy(int port) throws IOException {
        TcpProxy proxy = new TcpProxy("127.0.0.1", port);
        resources.add(proxy);
        return proxy;
    }

    private static Outage of(TcpProxy proxy) {
        return new Outage() {
            @Override
            public void down() throws IOException {
                proxy.stop();
            }

            @Override
            public void up() throws IOException {
                proxy.start();
            }
        };
    }

    // ------------------------------------------------------------------ SQL

    @Test
    void postgres_downTenSecondsUnderLoad_everyReadingStoredOnce() throws Exception {
        assumeTrue(listening(5432), "PostgreSQL is not listening on 127.0.0.1:5432; start it to run this test");
        String table = "outage_" + UUID.randomUUID().toString().substring(0, 8);
        TcpProxy proxy = proxy(5432);
        String direct = "jdbc:postgresql://127.0.0.1:5432/test";
        resources.add(() -> sql(direct, "postgres", "DROP TABLE IF EXISTS " + table));

        runOutage(SqlTargetSettings.of("historian", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test")
                        .withCredentials("postgres", "").withTable(table, true).withConnectTimeout(Duration.ofSeconds(2)),
                of(proxy), () -> sqlKeys(direct, "postgres", table), true);
    }

    @Test
    void h2Server_downTenSecondsUnderLoad_everyReadingStoredOnce() throws Exception {
        Server h2 = Server.createTcpServer("-tcpPort", String.valueOf(FreePorts.next()), "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
        resources.add(h2::stop);
        TcpProxy proxy = proxy(h2.getPort());
        String direct = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/historian";

        runOutage(SqlTargetSettings.of("historian", "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/historian")
                        .withCredentials("sa", "").withTable("readings", true).withConnectTimeout(Duration.ofSeconds(2)),
                of(proxy), () -> sqlKeys(direct, "sa", "readings"), true);
    }

    private static List<String> sqlKeys(String url, String user, String table) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, "");
             Statement s = c.createStatement()) {
            if (!c.getMetaData().getTables(null, null, table, null).next()
                    && !c.getMetaData().getTables(null, null, table.toUpperCase(), null).next()) {
                return keys; // created by the target on its first delivery
            }
            try (ResultSet rs = s.executeQuery("SELECT reading_key FROM " + table)) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static void sql(String url, String user, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    // ------------------------------------------------------------------ MQTT

    @Test
    void mosquitto_downTenSecondsUnderLoad_everyReadingArrives() throws Exception {
        assumeTrue(listening(1883), "Mosquitto is not listening on 127.0.0.1:1883; start it to run this test");
        String root = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient subscriber = new MqttClient("tcp://127.0.0.1:1883", "sub-" + root, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        subscriber.connect(options);
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription(root + "/#", 1)},
                new IMqttMessageListener[] {(topic, message) -> received.add(
                        ReadingCodec.fromJson(new String(message.getPayload(), StandardCharsets.UTF_8)).key())});
        resources.add(() -> {
            subscriber.disconnect();
            subscriber.close();
        });
        TcpProxy proxy = proxy(1883);

        // QoS 1 is at-least-once: a message whose PUBACK was lost in the reset may come twice
        runOutage(MqttTargetSettings.of("meters", "tcp://127.0.0.1:" + proxy.port())
                        .withTopic(root + "/{pair}/{meter}/{quantity}").withTimeout(Duration.ofSeconds(2)),
                of(proxy), () -> received, false);
    }

    // ------------------------------------------------------------------ InfluxDB

    @Test
    void influxdb_downTenSecondsUnderLoad_everyPointStoredOnce() throws Exception {
        assumeTrue(listening(8086), "InfluxDB is not listening on 127.0.0.1:8086; install Debian's influxdb and start influxd");
        String database = "outage_" + UUID.randomUUID().toString().substring(0, 8);
        influxQl("CREATE DATABASE " + database, "_internal");
        resources.add(() -> influxQl("DROP DATABASE " + database, "_internal"));
        TcpProxy proxy = proxy(8086);

        runOutage(InfluxDbTargetSettings.v1("historian", "http://127.0.0.1:" + proxy.port(), database)
                        .withMeasurement("energy").withTimeout(Duration.ofSeconds(2)),
                of(proxy), () -> influxKeys(database), true);
    }

    /** The key each stored point stands for: one point per (meter, quantity, time). */
    private static List<String> influxKeys(String database) throws Exception {
        JsonNode series = influxQl("SELECT meter, quantity, \"value\" FROM energy", database)
                .path("results").path(0).path("series").path(0);
        List<String> keys = new ArrayList<>();
        for (JsonNode row : series.path("values")) {
            keys.add(io.busbar.mappings.model.ReadingKey.of(BufferedDelivery.PAIR, row.get(1).asText(), row.get(2).asText(),
                    Instant.ofEpochMilli(row.get(0).asLong())));
        }
        return keys;
    }

    private static JsonNode influxQl(String query, String db) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:8086/query?epoch=ms&db=" + db))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    // ------------------------------------------------------------------ Kafka

    @Test
    void kafka_downTenSecondsUnderLoad_everyReadingArrives() throws Exception {
        int brokerPort = FreePorts.next();
        TcpProxy proxy = proxy(brokerPort);
        // clients learn the broker's address from its metadata: advertise the proxy so every
        // connection, the producer's and the checking consumer's, goes through it
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, "busbar.readings");
        kafka.brokerProperty("listeners", "EXTERNAL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:0");
        kafka.brokerProperty("advertised.listeners", "EXTERNAL://127.0.0.1:" + proxy.port());
        kafka.afterPropertiesSet();
        resources.add(0, kafka::destroy);
        String bootstrap = "127.0.0.1:" + proxy.port();

        // Kafka is not idempotent by key: a batch retried after a lost acknowledgement is appended
        // again, and consumers dedupe by the reading key
        runOutage(new KafkaTargetSettings("kafka", bootstrap, "busbar.readings"), of(proxy),
                () -> kafkaKeys(bootstrap), false);
    }

    private static List<String> kafkaKeys(String bootstrap) {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "outage-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("busbar.readings", Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record ->
                        keys.add(ReadingCodec.fromJson(new String(record.value(), StandardCharsets.UTF_8)).key()));
            }
        }
        return keys;
    }

    // ------------------------------------------------------------------ HTTP

    @Test
    void httpServer_stoppedTenSecondsUnderLoad_everyReadingArrives_withStableIdempotencyKeys() throws Exception {
        RecordingHttpServer server = new RecordingHttpServer();
        resources.add(server);
        server.otherwise("/hs/meters/readings", request -> RecordingHttpServer.Answer.of(200));
        Outage outage = new Outage() {
            @Override
            public void down() {
                server.stop();
            }

            @Override
            public void up() throws IOException {
                server.restart();
            }
        };

        // a receiver sees a batch again when its answer was lost; it dedupes by Idempotency-Key
        runOutage(HttpTargetSettings.of("crm", URI.create(server.url("/hs/meters/readings")))
                        .withTimeout(Duration.ofSeconds(2)),
                outage, () -> receivedKeys(server), false);

        var bodiesByIdempotencyKey = server.requests("/hs/meters/readings").stream()
                .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"),
                        Collectors.mapping(RecordingHttpServer.Request::body, Collectors.toSet())));
        assertThat(bodiesByIdempotencyKey).as("one body per Idempotency-Key").allSatisfy((key, bodies) ->
                assertThat(bodies).hasSize(1));
    }

    private static List<String> receivedKeys(RecordingHttpServer server) throws IOException {
        List<String> keys = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (RecordingHttpServer.Request request : server.requests("/hs/meters/readings")) {
            JsonNode body = json.readTree(request.body());
            for (JsonNode reading : body.isArray() ? body : json.createArrayNode().add(body)) {
                keys.add(reading.path("key").asText());
            }
        }
        return keys;
    }

    private static boolean listening(int port) {
        return LocalService.accepts(LocalService.HOST, port, Duration.ofMillis(500));
    }
}
