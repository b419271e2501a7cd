package io.busbar.connectors.target.csv;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import java.time.Duration;

/** The moments of a scheduled export (a csv target's, the accounting totals'): cron or every. */
@Schema.ExactlyOneOf(value = {"cron", "every"}, message = "needs exactly one of cron or every")
public record ScheduleConfig(
        @Schema.Size(min = 1) @JsonPropertyDescription("minute hour day month weekday") String cron,
        @JsonPropertyDescription("an interval, aligned to 00:00 UTC") Duration every) {
}
