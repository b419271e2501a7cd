package io.busbar.connectors.opcua;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server could not deliver history for some nodes, typically because it keeps none
 * ({@code Bad_HistoryOperationUnsupported}) or does not know the node. A backfill has to come from
 * the partner server or be reported as a gap.
 */
public final class HistoryUnavailableException extends RuntimeException {

    private final Map<String, Long> failures;

    /** @param failures the status code per node id that failed, in request order */
    HistoryUnavailableException(String source, Map<String, Long> failures) {
        super(source + " has no history for " + failures.entrySet().stream()
                .map(failure -> failure.getKey() + " (" + StatusCodeNames.describe(failure.getValue()) + ")")
                .collect(Collectors.joining(", ")));
        this.failures = Map.copyOf(failures);
    }

    /** The OPC UA status code of each node id that failed. */
    public Map<String, Long> failures() {
        return failures;
    }
}
