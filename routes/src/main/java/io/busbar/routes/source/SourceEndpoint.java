package io.busbar.routes.source;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * An endpoint of a Busbar source ({@code <scheme>:<name>}): consumed by the source's ingest route
 * only, one instance per source.
 */
public abstract class SourceEndpoint extends DefaultEndpoint {

    protected SourceEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** The consumer that starts the source and hands its batches to {@code processor}. */
    protected abstract HandOffConsumer newConsumer(Processor processor);

    @Override
    public final Consumer createConsumer(Processor processor) throws Exception {
        HandOffConsumer consumer = newConsumer(processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public final Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + ": a source can only be consumed from");
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}
