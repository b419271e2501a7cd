package io.busbar.bootstrap.buffer;

import io.busbar.routes.BufferLayout;
import io.busbar.routes.plan.BusbarPlan;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;

/**
 * The addresses and durable queues a plan needs, whichever broker holds them: the multicast
 * readings address with one filtered queue per target, and an anycast dead-letter queue per target
 * and per source pair (see {@link BufferLayout}).
 */
final class BufferTopology {

    private BufferTopology() {
    }

    /** Queues on the readings address (multicast): one per target, and each pair's forward log. */
    static List<QueueConfiguration> targetQueues(BusbarPlan plan) {
        List<QueueConfiguration> queues = new ArrayList<>();
        plan.targets().forEach(target -> queues.add(QueueConfiguration.of(BufferLayout.targetQueue(target.name()))
                .setAddress(BufferLayout.READINGS_ADDRESS)
                .setRoutingType(RoutingType.MULTICAST)
                .setFilterString(BufferLayout.targetFilter(target.name(), plan.pairsFeeding(target.name())))
                .setDurable(true)));
        plan.pairs().forEach(pair -> queues.add(QueueConfiguration.of(BufferLayout.forwardLogQueue(pair.name()))
                .setAddress(BufferLayout.READINGS_ADDRESS)
                .setRoutingType(RoutingType.MULTICAST)
                .setFilterString(BufferLayout.forwardLogFilter(pair.name()))
                .setDurable(true)));
        return queues;
    }

    /** Dead-letter queues, each on an anycast address of its own name. */
    static List<QueueConfiguration> deadLetterQueues(BusbarPlan plan) {
        List<String> names = new ArrayList<>();
        plan.targets().forEach(target -> names.add(BufferLayout.deadLetterQueue(target.name())));
        plan.pairs().forEach(pair -> names.add(BufferLayout.sourceDeadLetterQueue(pair.name())));
        plan.uplinks().forEach(uplink -> names.add(BufferLayout.sourceDeadLetterQueue(uplink.name())));
        return names.stream().map(name -> QueueConfiguration.of(name).setAddress(name)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true)).toList();
    }
}
