package io.busbar.mappings.validation;

import io.busbar.mappings.model.Reading;
import java.util.Objects;

/** What the {@link Validator} decided for a reading; the caller acts on it. Either way the reading carries its flags. */
public sealed interface ValidationOutcome {

    Reading reading();

    /** Deliver the reading to the targets. */
    record Forward(Reading reading) implements ValidationOutcome {
        public Forward {
            Objects.requireNonNull(reading, "reading");
        }
    }

    /**
     * Send the reading to the dead-letter queue with the reason (its quality is Bad and the mapping
     * says {@code bad-quality: dead-letter}); do not deliver it.
     */
    record DeadLetter(Reading reading, String reason) implements ValidationOutcome {
        public DeadLetter {
            Objects.requireNonNull(reading, "reading");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
