package io.busbar.routes.source;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Endpoint;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.support.DefaultComponent;

/**
 * A Camel component whose endpoints are the named sources of the compiled configuration
 * ({@code <scheme>:<name>}, the name being the source's name in {@code busbar.yaml}). The plans
 * are given when the component is built; an endpoint's URI parameters are set on it as
 * {@code @UriParam}s, and one the endpoint does not know fails the route.
 *
 * @param <P> the compiled plan of one source
 */
public abstract class SourceComponent<P> extends DefaultComponent {

    private final Map<String, P> plans = new LinkedHashMap<>();

    protected SourceComponent(Collection<P> plans, Function<P, String> name) {
        plans.forEach(plan -> this.plans.put(name.apply(plan), plan));
    }

    /** The endpoint of the source {@code plan}, before its URI parameters are set. */
    protected abstract SourceEndpoint createEndpoint(String uri, P plan);

    @Override
    protected final Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        P plan = plans.get(remaining);
        if (plan == null) {
            throw new ResolveEndpointFailedException(uri, "no source named '" + remaining
                    + "' in the configuration (known: " + String.join(", ", plans.keySet()) + ")");
        }
        SourceEndpoint endpoint = createEndpoint(uri, plan);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
