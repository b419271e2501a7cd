package io.busbar.bootstrap.federation;

import io.busbar.connectors.support.TestReadings;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.routes.BufferLayout;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;

/**
 * The sites of {@link SiteScaleBench}, in a JVM of their own so that the bench's JVM's CPU time is
 * the central's. Each site is one TLS connection through a byte-counting {@link WanLink} (no
 * latency), sending every second what a site's bridge sends: one message per meter group with
 * the readings in the buffer's binary chunk format, deflated, durable, with the bridge's
 * duplicate id, asynchronously confirmed. They all present the shipped north certificate, each
 * writing a pair of its own.
 *
 * <p>Arguments: {@code centralPort sites meters quantities seconds}; prints {@code fleet first=S}
 * (the first second sent) once every site is connected, and {@code fleet readings=N bytes=B} at
 * the end.
 */
final class SiteFleet {

    private static final String[] QUANTITIES = {"1-0:1.8.0", "1-0:1.7.0", "1-0:2.8.0", "1-0:2.7.0"};

    private SiteFleet() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int sites = Integer.parseInt(args[1]);
        int meters = Integer.parseInt(args[2]);
        int quantities = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        AtomicLong sent = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(sites, 16));
        List<Future<Site>> connecting = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            String pair = "site-" + s;
            connecting.add(pool.submit(() -> Site.connect(port, pair)));
        }
        List<Site> connected = new ArrayList<>();
        for (Future<Site> site : connecting) {
            connected.add(site.get());
        }
        // every TLS handshake is done: the measured window holds the steady stream only
        long first = Instant.now().getEpochSecond() + 2;
        System.out.println("fleet first=" + first);
        List<Future<?>> runs = new ArrayList<>();
        for (Site site : connected) {
            runs.add(pool.submit(() -> {
                site.send(meters, quantities, first, seconds, sent);
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        long bytes = connected.stream().mapToLong(site -> site.link.upstreamBytes()).sum();
        System.out.println("fleet readings=" + sent.get() + " bytes=" + bytes);
        pool.shutdown();
        for (Site site : connected) {
            site.close();
        }
    }

    /** One site's connection through its own byte-counting link. */
    private record Site(String pair, WanLink link, ServerLocator locator, ClientSession session, ClientProducer producer,
                        byte[] node) {

        static Site connect(int port, String pair) throws Exception {
            WanLink link = new WanLink("127.0.0.1", port, 0);
            Map<String, Object> params = new HashMap<>();
            params.put(TransportConstants.HOST_PROP_NAME, "localhost");
            params.put(TransportConstants.PORT_PROP_NAME, link.port());
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, SiteToCentralIT.cert("site-north.p12").toString());
            params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, SiteToCentralIT.PASSWORD);
            params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, SiteToCentralIT.cert("trust.p12").toString());
            params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, SiteToCentralIT.PASSWORD);
            ServerLocator locator = ActiveMQClient.createServerLocatorWithoutHA(
                    new TransportConfiguration(NettyConnectorFactory.class.getName(), params))
                    .setConfirmationWindowSize(FederationBroker.CONFIRMATION_WINDOW_BYTES).setBlockOnDurableSend(false);
            ClientSession session = locator.createSessionFactory().createSession("north", "", false, true, true, false, 0);
            session.setSendAcknowledgementHandler(message -> { });
            ClientProducer producer = session.createProducer(FederationLayout.siteAddress("north"));
            byte[] node = ByteBuffer.allocate(16).putLong(UUID.randomUUID().getMostSignificantBits())
                    .putLong(UUID.randomUUID().getLeastSignificantBits()).array();
            return new Site(pair, link, locator, session, producer, node);
        }

        void send(int meters, int quantities, long first, int seconds, AtomicLong sent) throws Exception {
            long messageId = 0;
            for (long second = first; second < first + seconds; second++) {
                long wait = second * 1000 - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                Instant time = Instant.ofEpochSecond(second);
                Map<Integer, List<Reading>> groups = IntStream.range(0, meters).boxed()
                        .flatMap(m -> IntStream.range(0, quantities).mapToObj(q -> reading(pair, m, QUANTITIES[q], time)))
                        .collect(Collectors.groupingBy(r -> BufferLayout.meterGroupOf(r.meter())));
                for (Map.Entry<Integer, List<Reading>> group : groups.entrySet()) {
                    producer.send(message(group.getKey(), group.getValue(), second, ++messageId));
                    sent.addAndGet(group.getValue().size());
                }
            }
        }

        /** What the site's bridge sends for one buffer message of the pair's meter group. */
        private ClientMessage message(int group, List<Reading> readings, long second, long messageId) {
            byte[] chunk = ReadingChunkCodec.encode(readings);
            byte[] deflated = DeflateBody.deflate(chunk);
            ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
            if (deflated.length <= chunk.length * 9L / 10) {
                message.getBodyBuffer().writeBytes(deflated);
                message.putStringProperty(FederationLayout.ENCODING_PROPERTY, FederationLayout.DEFLATE);
            } else {
                message.getBodyBuffer().writeBytes(chunk);
            }
            message.putStringProperty(BufferLayout.PAIR_PROPERTY, pair);
            message.putIntProperty(BufferLayout.COUNT_PROPERTY, readings.size());
            message.putIntProperty(BufferLayout.CHUNK_FORMAT_PROPERTY, ReadingChunkCodec.VERSION);
            message.putLongProperty(BufferLayout.OLDEST_PROPERTY, second * 1000);
            message.putStringProperty("JMSXGroupID", BufferLayout.meterGroup(pair, group));
            // as the bridge: the site's node id and the message's id, for the central's duplicate check
            message.putBytesProperty(Message.HDR_BRIDGE_DUPLICATE_ID, ByteBuffer.allocate(24).put(node).putLong(messageId).array());
            return message;
        }

        void close() throws Exception {
            producer.close();
            session.close();
            locator.close();
            link.close();
        }
    }

    private static Reading reading(String pair, int meter, String quantity, Instant time) {
        boolean energy = quantity.endsWith(".8.0");
        BigDecimal value = energy ? BigDecimal.valueOf(1_000_000L + time.getEpochSecond() % 100_000 + meter, 3)
                : BigDecimal.valueOf(1500 + meter, 2);
        return TestReadings.reading(pair, "meter-" + meter, quantity, value, energy ? "kWh" : "kW", time);
    }
}
