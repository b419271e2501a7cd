package io.busbar.routes.uplink;

import io.busbar.routes.source.SourceComponent;
import io.busbar.routes.source.SourceEndpoint;
import java.util.Collection;

/**
 * The {@code busbar-uplinks} component: {@code busbar-uplinks:<name>} is the uplink source of that
 * name, started by the ingest route that consumes it. Registered under {@link #SCHEME} (a Spring
 * bean of that name in bootstrap, {@code CamelContext.addComponent} in tests). Its broker, topics
 * and credentials come from the configuration, not the URI, which would carry the password.
 */
public final class UplinkSourceComponent extends SourceComponent<UplinkSourcePlan> {

    public static final String SCHEME = "busbar-uplinks";

    private final UplinkSources sources;

    /**
     * @param plans   the configured uplink sources, the names endpoints may use
     * @param sources the running uplink sources, for health
     */
    public UplinkSourceComponent(Collection<UplinkSourcePlan> plans, UplinkSources sources) {
        super(plans, UplinkSourcePlan::name);
        this.sources = sources;
    }

    @Override
    protected SourceEndpoint createEndpoint(String uri, UplinkSourcePlan plan) {
        return new UplinkSourceEndpoint(uri, this, plan, sources);
    }

    /** The URI of the uplink source {@code name}. */
    public static String uri(String name) {
        return SCHEME + ":" + name;
    }
}
