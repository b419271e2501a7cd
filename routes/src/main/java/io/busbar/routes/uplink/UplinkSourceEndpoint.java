package io.busbar.routes.uplink;

import io.busbar.routes.source.HandOffConsumer;
import io.busbar.routes.source.SourceEndpoint;
import java.time.Clock;
import org.apache.camel.Category;
import org.apache.camel.Processor;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;

/**
 * {@code busbar-uplinks:<name>}: the uplink source of that name, consumed by the same ingest route
 * as a source pair ({@link io.busbar.routes.source.IngestRoute}): each batch of uplinks becomes one
 * synchronous exchange, which returns once the buffer has committed it.
 */
@UriEndpoint(firstVersion = "0.1", scheme = UplinkSourceComponent.SCHEME, title = "Busbar uplink source",
        syntax = "busbar-uplinks:name", consumerOnly = true, category = Category.IOT)
public final class UplinkSourceEndpoint extends SourceEndpoint {

    private final UplinkSourcePlan plan;
    private final UplinkSources sources;

    @UriPath(description = "The uplink source's name in the configuration")
    @Metadata(required = true)
    private final String name;

    UplinkSourceEndpoint(String uri, UplinkSourceComponent component, UplinkSourcePlan plan, UplinkSources sources) {
        super(uri, component);
        this.plan = plan;
        this.name = plan.name();
        this.sources = sources;
    }

    public String getName() {
        return name;
    }

    @Override
    protected HandOffConsumer newConsumer(Processor processor) {
        return new UplinkSourceConsumer(this, processor);
    }

    /** Runs the uplink source while the route runs. */
    private final class UplinkSourceConsumer extends HandOffConsumer {
        private UplinkSource source;

        UplinkSourceConsumer(UplinkSourceEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            source = new UplinkSource(plan, this::handOff, Clock.systemUTC());
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
