package io.busbar.bootstrap.federation;

import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.mappings.Reading;
import io.busbar.mappings.ReadingCodec;
import io.busbar.routes.BufferLayout;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale figure, not part of the suite (no *Test/*IT name): {@code -Dsites=N} sites × 200 meters ×
 * 2 quantities at 1 s into one in-process central over TLS, each site one connection through a
 * byte-counting {@link WanLink} (no latency), sending what a site's bridge sends: chunks by meter
 * group, deflated, durable, asynchronously confirmed. The sites are core clients rather than N
 * Busbar JVMs (50 JVMs do not fit on 2 cores beside the central); they all present the shipped
 * north certificate, each writing a pair of its own. Prints readings/s sent and delivered to the
 * central's file target, the delivery lag after the last send, and bytes per reading on the link.
 *
 * <pre>mvn -B -o -pl bootstrap -am test -Dtest=SiteScaleBench -Dsurefire.failIfNoSpecifiedTests=false -Dsites=50</pre>
 */
class SiteScaleBench {

    private static final int METERS = 200;
    private static final String PASSWORD = "changeit";

    @RegisterExtension
    final InProcessBusbar central = new InProcessBusbar();

    @TempDir
    Path dir;

    @Test
    void sitesInto1Central() throws Exception {
        int sites = Integer.getInteger("sites", 50);
        int seconds = Integer.getInteger("seconds", 30);
        int port = FreePorts.next();
        central.start(ConfigFile.load(config(port, sites)));
        Path received = dir.resolve("readings.jsonl");
        AtomicLong sent = new AtomicLong();
        List<WanLink> links = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(sites, 16));
        long start = Instant.now().getEpochSecond() + 2;
        List<Future<?>> runs = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            WanLink link = new WanLink("127.0.0.1", port, 0);
            links.add(link);
            String pair = "site-" + s;
            runs.add(pool.submit(() -> {
                send(link.port(), pair, start, seconds, sent);
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        Instant lastSent = Instant.now();
        long total = sent.get();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> lines(received) >= total);
        Duration lag = Duration.between(lastSent, Instant.now());
        long bytes = links.stream().mapToLong(WanLink::upstreamBytes).sum();
        System.out.printf("site-scale: sites=%d meters/site=%d readings=%d offered=%d/s delivered-lag-after-last-send=%.1fs"
                        + " bytes/reading=%.1f%n", sites, METERS, total, sites * METERS * 2, lag.toMillis() / 1000.0,
                (double) bytes / total);
        pool.shutdown();
        for (WanLink link : links) {
            link.close();
        }
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    /** One site: every second, 200 meters × 2 quantities in 16 meter-group chunks, deflated, durable, async. */
    private static void send(int port, String pair, long startSecond, int seconds, AtomicLong sent) throws Exception {
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, "localhost");
        params.put(TransportConstants.PORT_PROP_NAME, port);
        params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
        params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, SiteToCentralIT.cert("site-north.p12").toString());
        params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, PASSWORD);
        params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, SiteToCentralIT.cert("trust.p12").toString());
        params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, PASSWORD);
        try (ServerLocator locator = ActiveMQClient.createServerLocatorWithoutHA(
                new TransportConfiguration(NettyConnectorFactory.class.getName(), params))
                .setConfirmationWindowSize(1024 * 1024).setBlockOnDurableSend(false);
             ClientSession session = locator.createSessionFactory().createSession("north", "", false, true, true, false, 0);
             ClientProducer producer = session.createProducer(FederationLayout.siteAddress("north"))) {
            session.setSendAcknowledgementHandler(message -> { });
            DeflateBody deflate = new DeflateBody();
            for (long second = startSecond; second < startSecond + seconds; second++) {
                long wait = second * 1000 - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                Instant time = Instant.ofEpochSecond(second);
                Map<Integer, List<Reading>> groups = IntStream.range(0, METERS).boxed()
                        .flatMap(m -> List.of(reading(pair, m, "1-0:1.8.0", time), reading(pair, m, "1-0:1.7.0", time)).stream())
                        .collect(Collectors.groupingBy(r -> BufferLayout.meterGroupOf(r.meter())));
                for (List<Reading> group : groups.values()) {
                    ICoreMessage core = new CoreMessage(1, 4096);
                    core.getBodyBuffer().writeBytes(ReadingCodec.toJsonBatch(group));
                    ICoreMessage onLink = deflate.transform(core).toCore();
                    ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
                    message.getBodyBuffer().writeBytes(DeflateBody.Bodies.read(onLink));
                    if (onLink != core) {
                        message.putStringProperty(FederationLayout.ENCODING_PROPERTY, FederationLayout.DEFLATE);
                    }
                    message.putStringProperty(BufferLayout.PAIR_PROPERTY, pair);
                    message.putIntProperty(BufferLayout.COUNT_PROPERTY, group.size());
                    message.putIntProperty(BufferLayout.CODEC_PROPERTY, ReadingCodec.WIRE_VERSION);
                    message.putLongProperty(BufferLayout.OLDEST_PROPERTY, second * 1000);
                    message.putStringProperty("JMSXGroupID", BufferLayout.meterGroup(pair, BufferLayout.meterGroupOf(group.get(0).meter())));
                    producer.send(message);
                    sent.addAndGet(group.size());
                }
            }
            session.commit();
        }
    }

    private static Reading reading(String pair, int meter, String quantity, Instant time) {
        BigDecimal value = quantity.endsWith("1.8.0") ? BigDecimal.valueOf(1_000_000L + time.getEpochSecond() % 100_000 + meter, 3)
                : BigDecimal.valueOf(1500 + meter, 2);
        return io.busbar.connectors.support.TestReadings.reading(pair, "meter-" + meter, quantity, value,
                quantity.endsWith("1.8.0") ? "kWh" : "kW", time);
    }

    private Path config(int port, int sites) throws IOException {
        String pairs = IntStream.range(0, sites).mapToObj(s -> "site-" + s).collect(Collectors.joining(", "));
        Path config = dir.resolve("busbar.yaml");
        Files.writeString(config, """
                central:
                  listen: 127.0.0.1:%d
                  key-store: %s
                  key-store-password: %s
                  trust-store: %s
                  trust-store-password: %s
                  sites:
                    north:
                      certificate: %s
                      pairs: [%s]
                targets:
                  readings:
                    type: file
                    path: readings.jsonl
                routes:
                %s
                buffer:
                  data-dir: data
                """.formatted(port, SiteToCentralIT.cert("central.p12"), PASSWORD, SiteToCentralIT.cert("trust.p12"),
                PASSWORD, SiteToCentralIT.cert("site-north.pem"), pairs,
                IntStream.range(0, sites).mapToObj(s -> "  - {from: site-" + s + ", to: [readings]}")
                        .collect(Collectors.joining("\n"))), StandardCharsets.UTF_8);
        return config;
    }
}
