package io.busbar.mappings;

import io.busbar.mappings.model.Meter;
import io.busbar.mappings.yaml.Problem;
import java.util.List;

/**
 * What expanding one template gave: the meters it made, in order, and the problems found on the way
 * (ids or NodeIds that came out invalid, browse paths the server does not have, meters or nodes the
 * template made twice), located at the template's keys and naming the variables.
 */
public record Expansion(List<Meter> meters, List<Problem> problems) {

    public Expansion {
        meters = List.copyOf(meters);
        problems = List.copyOf(problems);
    }
}
