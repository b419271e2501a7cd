package io.busbar.routes.source;

import io.busbar.mappings.Reading;
import io.busbar.mappings.ReadingCodec;
import io.busbar.routes.BufferCapacity;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeadLetter;
import java.util.List;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code ingest-<pair>}: a batch of mapped readings from the pair's active server → one durable
 * message on the readings address. The send blocks until the broker has synced it to its journal;
 * only then does the source pair count the readings as forwarded.
 */
public final class IngestRoute extends RouteBuilder {

    /** Ingest routes start after, and so stop before, the delivery routes: sources stop first. */
    public static final int STARTUP_ORDER_BASE = 1000;

    private final String pair;
    private final int startupOrder;
    private final Endpoint source;
    private final BufferCapacity capacity;
    private static final String BATCH = "busbarIngestBatch";

    public IngestRoute(String pair, int index, Endpoint source, BufferCapacity capacity) {
        this.pair = pair;
        this.startupOrder = STARTUP_ORDER_BASE + index;
        this.source = source;
        this.capacity = capacity;
    }

    public static String routeId(String pair) {
        return "ingest-" + pair;
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
                    List<Reading> batch = exchange.getMessage().getBody(IngestBatch.class).readings();
                    exchange.getMessage().setHeader(BufferLayout.PAIR_PROPERTY, pair);
                    exchange.getMessage().setHeader(BufferLayout.COUNT_PROPERTY, batch.size());
                    exchange.getMessage().setHeader(BufferLayout.OLDEST_PROPERTY, batch.stream()
                            .mapToLong(r -> r.sourceTime().toEpochMilli()).min().orElse(0));
                    exchange.getMessage().setBody(ReadingCodec.toJsonBatch(batch));
                })
                .to("jms:topic:" + BufferLayout.READINGS_ADDRESS + "?deliveryPersistent=true");
    }
}
