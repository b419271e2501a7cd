package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.connectors.schema.Schema;
import java.time.Duration;
import java.util.Objects;

/** {@code poll:} of a source pair. */
@JsonClassDescription("Read the servers in cycles instead of subscribing: a Modbus gateway pair is always polled; an"
        + " OPC UA pair with this block is polled with Read requests (source timestamps from the server). A read"
        + " without an answer within timeout is tried again after retry-wait, up to retries more times; a cycle"
        + " without any answer makes the server 'not connected' (connection lost) for health and the selector.")
@Schema.DefaultsIn(PollCycle.class)
public record PollConfig(
        @JsonPropertyDescription("How often to poll, e.g. 15m for billing registers, 1s for power. Cycles are aligned"
                + " to the clock (a 10s cycle polls at :00, :10, ...). Default 10s.") Duration cycle,
        @JsonPropertyDescription("How long one read may take. Default 1s.") Duration timeout,
        @JsonProperty("retry-wait")
        @JsonPropertyDescription("Pause before trying a failed read again. Default 200ms.") Duration retryWait,
        @Schema.Range(min = 0, max = 10)
        @JsonPropertyDescription("How many more times a failed read is tried within a cycle. Default 2.")
        Integer retries) {

    /** {@code retry-wait} left out; {@link PollCycle}'s name for it is its wait. */
    public static final Duration DEFAULT_RETRY_WAIT = PollCycle.DEFAULT_WAIT;

    /** Left out, a key takes its default. */
    public PollConfig {
        cycle = Objects.requireNonNullElse(cycle, PollCycle.DEFAULT_CYCLE);
        timeout = Objects.requireNonNullElse(timeout, PollCycle.DEFAULT_TIMEOUT);
        retryWait = Objects.requireNonNullElse(retryWait, DEFAULT_RETRY_WAIT);
        retries = Objects.requireNonNullElse(retries, PollCycle.DEFAULT_RETRIES);
    }

    /** The cycle these keys give. */
    public PollCycle pollCycle() {
        return new PollCycle(cycle, timeout, retryWait, retries);
    }
}
