package io.busbar.routes.source;

import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The Camel endpoint of a source pair ({@code busbar-source:<pair>}). Being a route consumer gives
 * the pair Camel's lifecycle: it starts after the buffer routes are up and, on shutdown, stops
 * first, before in-flight deliveries finish.
 */
public final class SourcePairEndpoint extends DefaultEndpoint {

    private final SourcePairPlan plan;
    private final MeterRegistry registry;
    private final SourcePairs pairs;
    private final Optional<Path> watermarkFile;
    private final ForwardingScope scope;

    /** @param watermarkFile where the pair keeps its per-node watermarks across restarts */
    public SourcePairEndpoint(CamelContext context, SourcePairPlan plan, MeterRegistry registry, SourcePairs pairs,
                              Optional<Path> watermarkFile) {
        this(context, plan, ForwardingScope.standalone(), registry, pairs, watermarkFile);
    }

    /** @param scope which active server this instance forwards (deployment mode) */
    public SourcePairEndpoint(CamelContext context, SourcePairPlan plan, ForwardingScope scope, MeterRegistry registry,
                              SourcePairs pairs, Optional<Path> watermarkFile) {
        super("busbar-source:" + plan.name(), null);
        this.scope = scope;
        setCamelContext(context);
        this.plan = plan;
        this.registry = registry;
        this.pairs = pairs;
        this.watermarkFile = watermarkFile;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("a source pair can only be consumed from");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SourcePairConsumer consumer = new SourcePairConsumer(this, processor, plan, scope, registry, pairs, watermarkFile);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }

    @Override
    protected String createEndpointUri() {
        return "busbar-source:" + plan.name();
    }
}
