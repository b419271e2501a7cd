package io.busbar.mappings.model;

import java.util.List;
import java.util.Objects;

/**
 * A meter of a compiled mapping: written in the mapping file or expanded from a template.
 *
 * @param id         meter id, unique within the pair
 * @param attributes serial, account, address, groups, medium
 * @param registers  its registers in file order
 */
public record Meter(String id, MeterAttributes attributes, List<Register> registers) {

    public Meter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(attributes, "attributes");
        registers = List.copyOf(registers);
    }
}
