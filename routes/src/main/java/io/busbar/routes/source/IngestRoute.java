package io.busbar.routes.source;

import io.busbar.routes.BufferCapacity;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeadLetter;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.SpringTransactionErrorHandlerBuilder;

/**
 * {@code ingest-<pair>}: a batch from a source endpoint ({@code busbar-source:<pair>},
 * {@code busbar-uplinks:<name>}) → its source dead letters on the pair's dead-letter queue and its
 * readings as durable messages of at most {@link ChunkedBatchWriter#MAX_CHUNK_READINGS} readings on
 * the readings address, all in one JMS transaction ({@link BufferTransaction}). The route returns
 * once the broker has committed (synced) them all, and fails with nothing of the batch in the
 * buffer otherwise; only then does the source count the readings as forwarded, and a batch it
 * sends again leaves each dead letter once.
 */
public final class IngestRoute extends RouteBuilder {

    /** Ingest routes start after, and so stop before, the delivery routes: sources stop first. */
    public static final int STARTUP_ORDER_BASE = 1000;

    private final String pair;
    private final int startupOrder;
    private final String source;
    private final BufferCapacity capacity;
    private static final String BATCH = "busbarIngestBatch";
    private volatile ChunkedBatchWriter writer;

    /** @param source the URI of the source endpoint */
    public IngestRoute(String pair, int index, String source, BufferCapacity capacity) {
        this.pair = pair;
        this.startupOrder = STARTUP_ORDER_BASE + index;
        this.source = source;
        this.capacity = capacity;
    }

    public static String routeId(String pair) {
        return "ingest-" + pair;
    }

    /**
     * The readings are written on the session of the route's transaction directly, not through a
     * {@code to("jms:...")} per chunk: each chunk carries its own group and properties, and an
     * exchange per chunk would cost CPU on the hottest path for nothing. Looked up at the first
     * batch, from the transaction policy the route runs in.
     */
    private ChunkedBatchWriter writer(CamelContext context) {
        ChunkedBatchWriter current = writer;
        if (current == null) {
            current = new ChunkedBatchWriter(BufferTransaction.connections(context), pair);
            writer = current;
        }
        return current;
    }

    @Override
    public void configure() {
        // a failed send must reach the source at once: it holds the watermark and backfills later.
        // No redelivery; the source logs the failure (once per filling up, for a full buffer), so
        // the rollback only at debug here and not the exhausted exchange at all.
        SpringTransactionErrorHandlerBuilder rollback = new SpringTransactionErrorHandlerBuilder();
        rollback.setRollbackLoggingLevel(LoggingLevel.DEBUG.name());
        rollback.maximumRedeliveries(0).logExhausted(false).loggingLevel(LoggingLevel.DEBUG);
        errorHandler(rollback);
        from(source)
                .routeId(routeId(pair))
                .startupOrder(startupOrder)
                .transacted(BufferTransaction.POLICY)
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
                        // joins the route's transaction: the session is bound to this thread
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
