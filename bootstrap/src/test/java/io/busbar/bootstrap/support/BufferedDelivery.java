package io.busbar.bootstrap.support;

import io.busbar.bootstrap.buffer.EmbeddedBuffer;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.target.file.FileTargetSettings;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.delivery.DeliveryRoute;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.BusbarPlan;
import io.busbar.routes.plan.RetryPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.ChunkedBatchWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The delivery half of Busbar, real parts only: the embedded broker with its journal under a
 * directory, one durable queue per target and the real {@link DeliveryRoute}s. Batches go in as
 * the ingest route writes them ({@link #ingest}), so a test sees exactly what a target gets.
 */
public final class BufferedDelivery implements AutoCloseable {

    public static final String PAIR = "plant";
    public static final String QUANTITY = "1-0:1.8.0";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EmbeddedBuffer buffer;
    private final CachingConnectionFactory connections;
    private final CamelContext camel;

    private final ChunkedBatchWriter writer;

    private BufferedDelivery(Path dir, List<? extends Target> targets, RetryPolicy retry, int parallelism)
            throws Exception {
        List<TargetSettings> settings = new ArrayList<>();
        for (Target target : targets) {
            // the broker only needs the names to lay out the queues
            settings.add(new FileTargetSettings(target.name(), dir.resolve(target.name())));
        }
        SourcePairPlan pair = new SourcePairPlan(PAIR,
                new ServerPlan(ServerRole.PRIMARY, OpcUaSourceOptions.builder("opc.tcp://localhost:4840").build()),
                Optional.empty(), RedundancyPolicy.defaults(), BackfillPolicy.defaults(),
                new Mapping(PAIR, List.of()), settings.stream().map(TargetSettings::name).toList());
        buffer = new EmbeddedBuffer(dir.resolve("buffer"), new BusbarPlan(List.of(pair), settings));
        buffer.start();
        connections = new CachingConnectionFactory(new ActiveMQConnectionFactory(EmbeddedBuffer.IN_VM_URL));
        camel = new DefaultCamelContext();
        camel.addComponent("jms", JmsComponent.jmsComponent(connections));
        int index = 0;
        for (Target target : targets) {
            camel.addRoutes(new DeliveryRoute(target, registry, index++, retry, parallelism));
        }
        camel.start();
        writer = new ChunkedBatchWriter(connections, PAIR);
    }

    /** Started with the given (already started) targets and the default retry policy. */
    public static BufferedDelivery start(Path dir, List<? extends Target> targets) throws Exception {
        return start(dir, targets, RetryPolicy.DEFAULT);
    }

    public static BufferedDelivery start(Path dir, List<? extends Target> targets, RetryPolicy retry) throws Exception {
        return new BufferedDelivery(dir, targets, retry, 1);
    }

    /** @param parallelism each target's consumers, as the target setting {@code parallelism} */
    public static BufferedDelivery start(Path dir, List<? extends Target> targets, int parallelism) throws Exception {
        return new BufferedDelivery(dir, targets, RetryPolicy.DEFAULT, parallelism);
    }

    public EmbeddedBuffer buffer() {
        return buffer;
    }

    public CamelContext camel() {
        return camel;
    }

    /** One durable batch, written exactly as the ingest route writes it (chunks by meter group). */
    public void ingest(List<Reading> batch) {
        try {
            writer.write(batch);
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("the buffer did not take the batch", e);
        }
    }

    /** A batch of one reading per meter M1..Mn at one source time, the value counting seconds. */
    public static List<Reading> batch(int meters, Instant at, long value) {
        List<Reading> batch = new ArrayList<>(meters);
        for (int m = 1; m <= meters; m++) {
            batch.add(reading("M" + m, at, value));
        }
        return batch;
    }

    public static Reading reading(String meter, Instant at, long value) {
        return new Reading(ReadingKey.of(PAIR, meter, QUANTITY, at), PAIR, ServerRole.PRIMARY, meter, QUANTITY,
                BigDecimal.valueOf(value), "kWh", BigDecimal.valueOf(value), at, at, Quality.GOOD, 0);
    }

    /** A counter of the delivery routes ({@code busbar.target.*}) for one target; 0 before the first count. */
    public double counter(String name, String target) {
        var counter = registry.find(name).tag("target", target).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Retries fast, so an outage test does not wait out a 30 s back-off after the server is back. */
    public static RetryPolicy quickRetry() {
        return new RetryPolicy(Duration.ofMillis(200), 2, Duration.ofSeconds(1), 0.2);
    }

    @Override
    public void close() throws Exception {
        camel.close();
        connections.destroy();
        buffer.close();
    }
}
