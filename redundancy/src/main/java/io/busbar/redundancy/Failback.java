package io.busbar.redundancy;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether the pair returns to the preferred server on its own after a switchover. Part 4 §6.6.2.4
 * expects clients not to switch back automatically, since every switch risks a short overlap or a
 * gap to backfill; so it is an explicit choice here, and {@link Sticky} is the default.
 */
public sealed interface Failback permits Failback.Sticky, Failback.After {

    /** Stay on whichever server took over for as long as it is healthy. */
    record Sticky() implements Failback {
    }

    /**
     * Return to the preferred primary once it has been healthy without a break for {@code healthyFor}
     * (and the minimum dwell has passed). A server that is still settling after a restart usually
     * flickers; asking for an unbroken healthy period keeps it from being trusted too early.
     *
     * @param healthyFor how long the primary must stay healthy before it is active again; positive
     */
    record After(Duration healthyFor) implements Failback {
        public After {
            Objects.requireNonNull(healthyFor, "healthyFor");
            if (healthyFor.isNegative() || healthyFor.isZero()) {
                throw new IllegalArgumentException("failback healthyFor must be positive, was " + healthyFor);
            }
        }
    }
}
