package io.busbar.routes.source;

import io.busbar.routes.BufferCapacity;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeadLetter;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code ingest-<pair>}: a batch of mapped readings from the pair's active server → durable
 * messages of at most {@link ChunkedBatchWriter#MAX_CHUNK_READINGS} readings on the readings
 * address, in one transaction. The route returns once the broker has committed (synced) them all,
 * and fails otherwise; only then does the source pair count the readings as forwarded.
 */
public final class IngestRoute extends RouteBuilder {

    /** Ingest routes start after, and so stop before, the delivery routes: sources stop first. */
    public static final int STARTUP_ORDER_BASE = 1000;

    private final String pair;
    private final int startupOrder;
    private final Endpoint source;
    private final BufferCapacity capacity;
    private static final String BATCH = "busbarIngestBatch";
    private volatile ChunkedBatchWriter writer;

    public IngestRoute(String pair, int index, Endpoint source, BufferCapacity capacity) {
        this.pair = pair;
        this.startupOrder = STARTUP_ORDER_BASE + index;
        this.source = source;
        this.capacity = capacity;
    }

    public static String routeId(String pair) {
        return "ingest-" + pair;
    }

    /**
     * The readings go through the JMS component's own connection factory, not a Camel endpoint:
     * a batch becomes several messages in one transaction, which a {@code to("jms:...")} cannot
     * express. Looked up at the first batch, when the component has been configured (Spring Boot
     * autowires the factory into it).
     */
    private ChunkedBatchWriter writer(CamelContext context) {
        ChunkedBatchWriter current = writer;
        if (current == null) {
            ConnectionFactory connections = context.getComponent("jms", JmsComponent.class).getConfiguration()
                    .getConnectionFactory();
            if (connections == null) {
                connections = context.getRegistry().findSingleByType(ConnectionFactory.class);
            }
            if (connections == null) {
                throw new IllegalStateException("no JMS connection factory for the buffer");
            }
            current = new ChunkedBatchWriter(connections, pair);
            writer = current;
        }
        return current;
    }

    @Override
    public void configure() {
        // a failed send must reach the source at once: it holds the watermark and backfills later
        errorHandler(noErrorHandler());
        from(source)
                .routeId(routeId(pair))
                .startupOrder(startupOrder)
                .process(exchange -> {
                    if (!capacity.hasRoom()) {
                        throw new BufferCapacity.BufferFullException("the buffer reached buffer.max-disk");
                    }
                })
                .setProperty(BATCH, body())
                .filter(exchange -> !exchange.getMessage().getBody(IngestBatch.class).deadLetters().isEmpty())
                    .split(simple("${body.deadLetters()}"))
                        .process(exchange -> {
                            IngestBatch.SourceDeadLetter letter =
                                    exchange.getMessage().getBody(IngestBatch.SourceDeadLetter.class);
                            var message = exchange.getMessage();
                            message.removeHeaders("*");
                            message.setBody(letter.payload());
                            message.setHeader(DeadLetter.REASON, letter.reason());
                            message.setHeader(BufferLayout.PAIR_PROPERTY, pair);
                            message.setHeader(BufferLayout.REPLAYABLE_PROPERTY, letter.reading());
                            message.setHeader(DeadLetter.ATTEMPTS, 1);
                            String now = java.time.Instant.now().toString();
                            message.setHeader(DeadLetter.FIRST_FAILURE, now);
                            message.setHeader(DeadLetter.LAST_FAILURE, now);
                        })
                        .to("jms:queue:" + BufferLayout.sourceDeadLetterQueue(pair) + "?deliveryPersistent=true")
                    .end()
                .end()
                .setBody(exchangeProperty(BATCH))
                .filter(exchange -> !exchange.getMessage().getBody(IngestBatch.class).readings().isEmpty())
                .process(exchange -> {
                    IngestBatch batch = exchange.getMessage().getBody(IngestBatch.class);
                    writer(exchange.getContext()).write(batch.readings(), batch.seq());
                });
    }
}
