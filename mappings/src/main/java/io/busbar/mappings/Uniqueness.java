package io.busbar.mappings;

import io.busbar.mappings.model.Register;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Meter ids and NodeIds must be unique across everything a mapping makes: meters written out and
 * meters expanded from templates alike. A repeat is reported where it is written, naming the first.
 */
final class Uniqueness {

    private final Map<String, Origin> meters = new HashMap<>();
    private final Map<String, Origin> nodes = new HashMap<>();

    /** @return whether the instance repeats nothing (its problems, if any, went to the sink) */
    boolean check(MeterSpec.Instance instance, ProblemSink sink) {
        boolean unique = true;
        Origin origin = instance.origin();
        if (instance.meterId() != null) {
            Origin first = meters.putIfAbsent(instance.meterId(), origin);
            if (first != null) {
                sink.add(origin.document().problemAt(origin.pointer() + "/id", "meter '" + instance.meterId() + "'" + origin.given()
                        + " is already defined at " + first.describe(origin.document().file())));
                unique = false;
            }
        }
        List<Register> registers = instance.registers();
        for (int r = 0; r < registers.size(); r++) {
            Origin at = instance.registerOrigins().get(r);
            String nodeId = registers.get(r).nodeId();
            Origin first = nodes.putIfAbsent(nodeId, at);
            if (first != null) {
                sink.add(at.document().problemAt(at.pointer() + at.nodeKey(), "node " + nodeId + at.given()
                        + " is already mapped at " + first.describe(at.document().file())));
                unique = false;
            }
        }
        return unique;
    }

    Map<String, Origin> nodeOrigins() {
        return nodes;
    }
}
