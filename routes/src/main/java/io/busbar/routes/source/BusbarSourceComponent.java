package io.busbar.routes.source;

import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * The {@code busbar-source} component: {@code busbar-source:<pair>} is the source pair of that
 * name, started by the ingest route that consumes it ({@link SourcePairEndpoint} lists its
 * parameters). Registered under {@link #SCHEME} (a Spring bean of that name in bootstrap,
 * {@code CamelContext.addComponent} in tests).
 */
public final class BusbarSourceComponent extends SourceComponent<SourcePairPlan> {

    public static final String SCHEME = "busbar-source";

    private final MeterRegistry registry;
    private final SourcePairs pairs;

    /**
     * @param plans    the configured pairs, the names endpoints may use
     * @param registry where the pairs' metrics go
     * @param pairs    the running pairs, for health and reloads
     */
    public BusbarSourceComponent(Collection<SourcePairPlan> plans, MeterRegistry registry, SourcePairs pairs) {
        super(plans, SourcePairPlan::name);
        this.registry = registry;
        this.pairs = pairs;
    }

    @Override
    protected SourceEndpoint createEndpoint(String uri, SourcePairPlan plan) {
        return new SourcePairEndpoint(uri, this, plan, registry, pairs);
    }

    /**
     * The URI of {@code pair}'s endpoint with these options, the inverse of what the endpoint's
     * parameters parse.
     *
     * @param watermarkFile where the pair keeps its per-node watermarks across restarts
     */
    public static String uri(String pair, ForwardingScope scope, Optional<Path> watermarkFile) {
        String forwarding = SourcePairEndpoint.forwarding(scope);
        StringBuilder uri = new StringBuilder(SCHEME).append(':').append(pair).append("?forwarding=").append(forwarding);
        if (!forwarding.equals(SourcePairEndpoint.forwarding(ForwardingScope.standalone()))) {
            uri.append("&takeoverOverlap=").append(scope.takeoverOverlap().toMillis()).append("ms");
        }
        watermarkFile.ifPresent(file -> uri.append("&watermarkFile=").append(raw(file.toString())));
        return uri.toString();
    }

    /**
     * Camel's way to pass a value verbatim: a path may hold {@code & % + #}, which percent-encoding
     * does not protect (Camel decodes the URI before it splits the parameters).
     */
    private static String raw(String value) {
        if (!value.contains(")")) {
            return "RAW(" + value + ")";
        }
        if (!value.contains("}")) {
            return "RAW{" + value + "}";
        }
        throw new IllegalArgumentException("cannot pass '" + value + "' in an endpoint URI: it holds both ')' and '}'");
    }
}
