package io.busbar.routes;

/**
 * Whether the targets are behind the buffer while still taking readings from it: a read-back from a
 * server's history then waits instead of adding to what they have not taken yet. Reading history
 * faster than the targets take it only moves readings from the server's history into the buffer,
 * where at 10,000 tags × 10 Hz they were a quarter more than Kafka took (67,885 made durable
 * against 54,751 delivered a second, bench 2026-12-06): CPU and heap the delivery needed.
 *
 * <p>A target that takes nothing (down, or retrying) does not hold read-backs back: the buffer is
 * what keeps them until it is back.
 */
@FunctionalInterface
public interface DeliveryBacklog {

    DeliveryBacklog NONE = () -> false;

    /** Whether a target that took readings lately has more waiting than a read-back should add to. */
    boolean behind();
}
