package io.busbar.routes.uplink;

import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The Camel endpoint of an uplink source ({@code busbar-uplinks:<name>}), consumed by the same
 * ingest route as a source pair ({@link io.busbar.routes.source.IngestRoute}): each batch of
 * uplinks becomes one synchronous exchange, which returns once the buffer has committed it.
 */
public final class UplinkSourceEndpoint extends DefaultEndpoint {

    private final UplinkSourcePlan plan;
    private final UplinkSources sources;

    public UplinkSourceEndpoint(CamelContext context, UplinkSourcePlan plan, UplinkSources sources) {
        super("busbar-uplinks:" + plan.name(), null);
        setCamelContext(context);
        this.plan = plan;
        this.sources = sources;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("an uplink source can only be consumed from");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new UplinkConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }

    @Override
    protected String createEndpointUri() {
        return "busbar-uplinks:" + plan.name();
    }

    private final class UplinkConsumer extends DefaultConsumer {
        private UplinkSource source;

        UplinkConsumer(UplinkSourceEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            source = new UplinkSource(plan, batch -> {
                Exchange exchange = createExchange(false);
                try {
                    exchange.getMessage().setBody(batch);
                    getProcessor().process(exchange);
                    if (exchange.getException() != null) {
                        throw exchange.getException();
                    }
                } finally {
                    releaseExchange(exchange, false);
                }
            }, Clock.systemUTC());
            sources.register(source);
            source.start();
        }

        @Override
        protected void doStop() throws Exception {
            if (source != null) {
                sources.unregister(source);
                source.close();
                source = null;
            }
            super.doStop();
        }
    }
}
