package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.routes.plan.BackfillPolicy;
import java.time.Duration;
import java.util.Objects;

/** {@code backfill:} of a source pair. */
@JsonClassDescription("Closing gaps from the newly active server's history (HistoryRead raw) after a switchover or an"
        + " outage.")
@Schema.DefaultsIn(BackfillPolicy.class)
public record BackfillConfig(
        @JsonPropertyDescription("Read this much before the last forwarded value; duplicates are removed by key."
                + " Default 5s.") Duration overlap,
        @JsonProperty("max-window")
        @JsonPropertyDescription("The longest gap backfilled; an older part is reported as unfilled. Default 1h.")
        Duration maxWindow,
        @JsonProperty("standby-window")
        @JsonPropertyDescription("How long each server's live values that were not forwarded (a hot standby's stream)"
                + " are kept; at a switchover they fill what the new server's history lacks. At most 500,000 values"
                + " per server. Default 60s.") Duration standbyWindow) {

    /** Left out, a key takes its default. */
    public BackfillConfig {
        overlap = Objects.requireNonNullElse(overlap, BackfillPolicy.DEFAULT_OVERLAP);
        maxWindow = Objects.requireNonNullElse(maxWindow, BackfillPolicy.DEFAULT_MAX_WINDOW);
        standbyWindow = Objects.requireNonNullElse(standbyWindow, BackfillPolicy.DEFAULT_STANDBY_WINDOW);
    }

    /** The policy these keys give. */
    public BackfillPolicy policy() {
        return new BackfillPolicy(overlap, maxWindow, standbyWindow);
    }
}
