package io.busbar.mappings;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;

/** What mapping one raw sample gave: a reading, a sample of a node no mapping names, or a reason it cannot be mapped. */
public sealed interface MappingOutcome {

    /**
     * A reading, not yet validated (status {@code RAW}), and the register it was mapped with (hand
     * both to the {@link io.busbar.mappings.validation.Validator}).
     */
    record Mapped(Reading reading, Register register) implements MappingOutcome {
    }

    /** The node is not in the mapping (e.g. ServiceLevel or a role tag the source also watches). */
    record NotMapped(String nodeId) implements MappingOutcome {
    }

    /**
     * The node is mapped but its value cannot become a reading (wrong type, NaN, no value). The
     * sample goes to the dead letters with this reason; the stream goes on.
     */
    record Unmappable(RawSample sample, Register register, String reason) implements MappingOutcome {
    }
}
