package io.busbar.connectors.target;

import io.busbar.mappings.model.Reading;
import java.util.List;

/**
 * A target refused some readings for good — retrying cannot help (an HTTP 4xx other than 408/429,
 * a SQL constraint or data error, a value the target cannot represent). Every reading of the batch
 * that is not listed here was delivered. The listed ones go to the target's dead-letter queue with
 * their reason, where an operator can see, fix and replay them.
 *
 * <p>Any other exception from {@link Target#deliver} means "not delivered, try the whole batch
 * again later".
 */
public class RejectedReadingsException extends Exception {

    /** One refused reading and why, in the target's own words (status code, SQL state, message). */
    public record Rejection(Reading reading, String reason) {
    }

    private final transient List<Rejection> rejections;

    public RejectedReadingsException(List<Rejection> rejections) {
        super(rejections.size() + " reading(s) rejected"
                + (rejections.isEmpty() ? "" : ", first: " + rejections.get(0).reason()));
        this.rejections = List.copyOf(rejections);
    }

    /** All readings of a batch refused for one reason (e.g. the HTTP answer to a batch request). */
    public static RejectedReadingsException all(List<Reading> batch, String reason) {
        return new RejectedReadingsException(batch.stream().map(r -> new Rejection(r, reason)).toList());
    }

    public List<Rejection> rejections() {
        return rejections;
    }
}
