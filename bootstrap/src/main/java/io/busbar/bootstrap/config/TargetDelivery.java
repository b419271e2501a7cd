package io.busbar.bootstrap.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.RetryConfig;
import io.busbar.routes.plan.RetryPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How deliveries to a target run, whatever its type: how many are in flight at once and how a failing
 * one is retried. Each type's config record declares and describes these keys for the schema; this
 * record reads them alike from every type's section once the schema passed it (the type's own keys
 * are left to its compiler).
 *
 * @param parallelism null where the target leaves it out: the plan then runs one delivery at a time
 * @param retry       null where the target leaves it out: {@link RetryPolicy#DEFAULT}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TargetDelivery(Integer parallelism, RetryConfig retry) {

    /** Every target's delivery settings by name; {@code targets} is the schema-valid {@code targets:} section. */
    static Map<String, TargetDelivery> byTarget(JsonNode targets) {
        Map<String, TargetDelivery> delivery = new HashMap<>();
        targets.fields().forEachRemaining(target ->
                delivery.put(target.getKey(), ConfigBinding.bind(target.getValue(), TargetDelivery.class)));
        return delivery;
    }

    /** The parallelism of the targets that set one. */
    static Map<String, Integer> parallelism(Map<String, TargetDelivery> byTarget) {
        Map<String, Integer> parallelism = new HashMap<>();
        byTarget.forEach((name, delivery) -> {
            if (delivery.parallelism() != null) {
                parallelism.put(name, delivery.parallelism());
            }
        });
        return parallelism;
    }

    /** The retry policy of the targets that have a {@code retry:} block, each key left out taken from the default. */
    static Map<String, RetryPolicy> retries(Map<String, TargetDelivery> byTarget) {
        Map<String, RetryPolicy> retries = new HashMap<>();
        byTarget.forEach((name, delivery) -> {
            RetryConfig retry = delivery.retry();
            if (retry != null) {
                RetryPolicy defaults = RetryPolicy.DEFAULT;
                retries.put(name, new RetryPolicy(
                        Objects.requireNonNullElse(retry.initial(), defaults.initial()),
                        Objects.requireNonNullElse(retry.multiplier(), defaults.multiplier()),
                        Objects.requireNonNullElse(retry.max(), defaults.max()),
                        Objects.requireNonNullElse(retry.jitter(), defaults.jitter())));
            }
        });
        return retries;
    }
}
