package io.busbar.mappings.model;

import java.util.List;

/**
 * What a mapping file says about a meter besides its id, carried on every reading so that targets
 * such as a billing CSV can print them. Every field is optional.
 *
 * @param serial  the manufacturer's serial number
 * @param account the personal account (лицевой счёт) billed for it
 * @param address where it is installed
 * @param groups  groupings such as a building or a feeder, in file order; never null
 * @param medium  what it measures, as the mapping file says (null when it does not)
 */
public record MeterAttributes(String serial, String account, String address, List<String> groups, Medium medium) {

    public static final MeterAttributes NONE = new MeterAttributes(null, null, null, List.of(), null);

    public MeterAttributes {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
