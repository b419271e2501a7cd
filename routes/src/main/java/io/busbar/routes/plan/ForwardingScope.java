package io.busbar.routes.plan;

import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of a pair's values this Busbar instance forwards, and where it starts reading history when
 * it takes the pair over from another instance.
 *
 * <ul>
 *   <li>{@link #standalone()}: the only instance; it forwards the active server.</li>
 *   <li>{@link #beside(ServerRole, Duration)}: co-located, one instance beside each server; it
 *       forwards only while the server it sits beside is the active one. On takeover it backfills
 *       from its own watermark, or, when it has none within max-window, from takeover time minus
 *       the overlap (the partner instance forwarded that time, so the same keys arrive twice).</li>
 *   <li>{@link #leader(Duration)}: distributed; the pair runs only on the instance that holds the
 *       pair's cluster lock. A new leader starts from the shared watermarks minus the overlap, so
 *       what the lost leader had made durable but not yet delivered is sent again (same keys).</li>
 * </ul>
 *
 * @param beside          co-located: the server this instance runs beside
 * @param takeoverOverlap how far before the takeover point history is read again
 * @param rewindOnStart   distributed: move the restored watermarks back by the overlap at start
 */
public record ForwardingScope(Optional<ServerRole> beside, Duration takeoverOverlap, boolean rewindOnStart) {

    public static final Duration DEFAULT_TAKEOVER_OVERLAP = Duration.ofSeconds(30);

    public ForwardingScope {
        Objects.requireNonNull(beside);
        Objects.requireNonNull(takeoverOverlap);
    }

    public static ForwardingScope standalone() {
        return new ForwardingScope(Optional.empty(), Duration.ZERO, false);
    }

    public static ForwardingScope beside(ServerRole server, Duration takeoverOverlap) {
        return new ForwardingScope(Optional.of(server), takeoverOverlap, false);
    }

    public static ForwardingScope leader(Duration takeoverOverlap) {
        return new ForwardingScope(Optional.empty(), takeoverOverlap, true);
    }

    /** @return whether values of {@code active}, the pair's active server, are forwarded here */
    public boolean forwards(ServerRole active) {
        return beside.map(server -> server == active).orElse(true);
    }
}
