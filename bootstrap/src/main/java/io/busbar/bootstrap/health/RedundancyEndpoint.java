package io.busbar.bootstrap.health;

import io.busbar.redundancy.Force;
import io.busbar.routes.source.SourcePairRuntime;
import io.busbar.routes.source.SourcePairs;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/redundancy}: the state of every source pair, and manual control for maintenance:
 * {@code POST /actuator/redundancy/{pair}} with {@code {"force":"primary"|"secondary"|"auto"}}.
 */
@Component
@Endpoint(id = "redundancy")
public class RedundancyEndpoint {

    private final SourcePairs pairs;

    public RedundancyEndpoint(SourcePairs pairs) {
        this.pairs = pairs;
    }

    @ReadOperation
    public Map<String, Object> all() {
        Map<String, Object> all = new LinkedHashMap<>();
        pairs.all().forEach(pair -> all.put(pair.name(), PairStateView.of(pair)));
        pairs.waiting().forEach(pair -> all.put(pair.name(), PairStateView.of(pair)));
        return Map.of("pairs", all);
    }

    /** @return null (404) for an unknown pair */
    @ReadOperation
    public Map<String, Object> pair(@Selector String pair) {
        return pairs.get(pair).map(PairStateView::of)
                .or(() -> pairs.waiting(pair).map(PairStateView::of))
                .orElse(null);
    }

    @WriteOperation
    public Map<String, Object> force(@Selector String pair, String force) {
        SourcePairRuntime runtime = pairs.get(pair).orElse(null);
        if (runtime == null) {
            return null;
        }
        runtime.force(parse(force));
        return PairStateView.of(runtime);
    }

    private static Force parse(String force) {
        try {
            return Force.valueOf(force.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEndpointRequestException("force must be one of: primary, secondary, auto",
                    "force must be one of " + Arrays.toString(Force.values()));
        }
    }
}
