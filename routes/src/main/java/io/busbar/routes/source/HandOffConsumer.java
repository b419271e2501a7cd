package io.busbar.routes.source;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.support.DefaultConsumer;

/**
 * The consumer of a Busbar source endpoint (a source pair, an uplink source): the source runs on
 * its own threads and hands each batch to the route as one synchronous exchange, on the source's
 * thread, which returns only once the route made the batch durable (and throws otherwise, so the
 * source keeps the batch and tries again).
 *
 * <p>Lifecycle: Camel calls {@code doStart} once the routes after it (delivery) are up, which
 * starts the source; {@code doStop} first on shutdown, which stops it before in-flight deliveries
 * finish.
 */
public abstract class HandOffConsumer extends DefaultConsumer {

    protected HandOffConsumer(Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    /** Runs the route for {@code batch}; returns once it is durable, throws what the route failed with. */
    protected final void handOff(IngestBatch batch) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(batch);
            getProcessor().process(exchange);
            Exception failure = failure(exchange);
            if (failure != null) {
                throw failure;
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /**
     * What the route failed with, as it was thrown, or null. The ingest route's transaction error
     * handler hands it over wrapped in a plain {@link RuntimeCamelException} (it passes through a
     * Spring {@code TransactionCallback}); the source tells a full buffer from a failure by its type.
     */
    static Exception failure(Exchange exchange) {
        Exception failure = exchange.getException();
        if (failure != null && failure.getClass() == RuntimeCamelException.class
                && failure.getCause() instanceof Exception thrown) {
            return thrown;
        }
        return failure;
    }
}
