package io.busbar.connectors.target;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import java.time.Duration;

/** The {@code retry:} block of a target; the defaults are {@code RetryPolicy.DEFAULT} in routes. */
@JsonClassDescription("How a failing delivery to this target is retried: in order, in place, with exponential"
        + " back-off. A Retry-After from the target wins.")
public record RetryConfig(
        @JsonPropertyDescription("First delay. Default 500ms.") Duration initial,
        @JsonPropertyDescription("Each further delay is this much longer. Default 2.") @Schema.Range(min = 1, max = 10)
        Double multiplier,
        @JsonPropertyDescription("Longest delay. Default 30s.") Duration max,
        @JsonPropertyDescription("Random spread of each delay, as a fraction (0.2 = ±20%), so many Busbars do not"
                + " retry in step. Default 0.2.") @Schema.Range(min = 0, max = 1) Double jitter) {

    /** How {@code parallelism} is described in the target types that deliver in parallel. */
    public static final String PARALLELISM = "Deliveries to this target in flight at once (1 to 16; default 1)."
            + " Readings are spread over 16 meter groups, each meter always in the same one, so each meter's readings"
            + " still arrive in order. Only kafka and http targets deliver in parallel.";
}
