package io.busbar.routes.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class DeliveryProcessorTest {

    private static final Instant NOW = Instant.parse("2026-12-04T19:00:00Z");

    private final List<Reading> delivered = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryProcessor processor = new DeliveryProcessor(new Target() {
        @Override
        public String name() {
            return "t";
        }

        @Override
        public void deliver(List<Reading> batch) {
            delivered.addAll(batch);
        }
    }, registry, Clock.fixed(NOW, ZoneOffset.UTC));

    /** One latency per reading, each from its own source time, though computed once per source time. */
    @Test
    void everyDeliveredReading_recordsItsOwnLatency() throws Exception {
        List<Reading> chunk = List.of(reading("A", NOW.minusMillis(300)), reading("B", NOW.minusMillis(300)),
                reading("C", NOW.minusMillis(1_000)), reading("D", NOW.minusMillis(300)));

        process(chunk);

        Timer latency = registry.get("busbar.target.latency").timer();
        assertThat(delivered).isEqualTo(chunk);
        assertThat(latency.count()).isEqualTo(4);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300 + 300 + 1_000 + 300);
        assertThat(latency.max(TimeUnit.MILLISECONDS)).isEqualTo(1_000);
    }

    /** A server clock at its 1601 origin or ahead of ours: delivered, the latency of the far past capped, the future's not counted. */
    @Test
    void sourceTimesCenturiesAgoOrAhead_areDelivered_andTheirLatencyDoesNotOverflow() throws Exception {
        List<Reading> chunk = List.of(reading("A", Instant.parse("1601-01-01T00:00:00Z")),
                reading("B", NOW.plusSeconds(5)), reading("C", NOW.minusMillis(250)));

        process(chunk);

        Timer latency = registry.get("busbar.target.latency").timer();
        assertThat(delivered).isEqualTo(chunk);
        assertThat(latency.count()).as("a source time ahead of the clock has no latency").isEqualTo(2);
        assertThat(latency.max(TimeUnit.DAYS)).as("capped at what nanoseconds in a long count: 292 years")
                .isBetween(292.0 * 365, 293.0 * 366);
    }

    /**
     * A delivery batch from the listener container: its parts are taken as they were received, the
     * batch's bytes never read (reading them meant two more copies of every delivered byte).
     */
    @Test
    void deliveryBatch_isDecodedFromItsCarriedParts_withoutReadingItsBytes() throws Exception {
        List<Reading> first = List.of(reading("A", NOW.minusMillis(300)));
        List<Reading> second = List.of(reading("B", NOW.minusMillis(200)), reading("C", NOW.minusMillis(200)));
        List<MessageBatch.Part> parts = List.of(new MessageBatch.Part(ReadingChunkCodec.encode(first), 0),
                new MessageBatch.Part(ReadingChunkCodec.encode(second), 0));
        jakarta.jms.BytesMessage carrier = (jakarta.jms.BytesMessage) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {jakarta.jms.BytesMessage.class, MessageBatch.Carrier.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "parts" -> parts;
                    case "getPropertyNames" -> java.util.Collections.emptyEnumeration();
                    case "getBodyLength", "readBytes", "getBody", "reset" ->
                            throw new AssertionError("the batch's bytes were read: " + method.getName());
                    default -> zero(method.getReturnType());
                });
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        org.apache.camel.component.jms.JmsMessage message =
                new org.apache.camel.component.jms.JmsMessage(exchange, carrier, null, new org.apache.camel.component.jms.JmsBinding());
        message.setHeader(MessageBatch.PROPERTY, true);
        exchange.setIn(message);

        processor.process(exchange);

        assertThat(delivered).containsExactly(first.get(0), second.get(0), second.get(1));
    }

    /** What a JMS message with nothing set answers. */
    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        return type == int.class ? 0 : null;
    }

    private void process(List<Reading> chunk) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(ReadingChunkCodec.encode(chunk));
        processor.process(exchange);
    }

    private static Reading reading(String meter, Instant at) {
        return new Reading(ReadingKey.of("p", meter, "1-0:1.8.0", at), "p", ServerRole.PRIMARY, meter, "1-0:1.8.0",
                BigDecimal.ONE, "kWh", BigDecimal.ONE, at, at, null, 0);
    }
}
