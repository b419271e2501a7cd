package io.busbar.routes.source;

import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.PairSelector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/** A source pair's counters and gauges, tagged with the pair (and the server where it matters). */
final class PairMeters {

    final Counter backfilled;
    final Counter backfillRounds;
    final Counter unfilledSeconds;
    final Counter switchovers;
    final Counter filledFromPartner;
    final Counter skippedSlots;
    final Counter droppedSamples;
    final Counter lostPublishes;
    final Counter backfillWaited;

    /**
     * @param queuedSamples        samples waiting for the pair's loop
     * @param nodesWithoutHistory  per server, the nodes it could not read back at its last backfill
     */
    PairMeters(String pair, MeterRegistry registry, PairSelector selector, AtomicInteger queuedSamples,
               ToIntFunction<ServerRole> nodesWithoutHistory) {
        this.backfilled = Counter.builder("busbar.backfill.readings").description("Readings forwarded from history")
                .tag("pair", pair).register(registry);
        this.backfillRounds = Counter.builder("busbar.backfill.rounds")
                .description("Read-backs from history that ended after a gap, follow-ups that found nothing new included")
                .tag("pair", pair).register(registry);
        this.unfilledSeconds = Counter.builder("busbar.backfill.unfilled.seconds")
                .description("Seconds of gaps that neither history nor a server's live stream could fill")
                .tag("pair", pair).register(registry);
        this.switchovers = Counter.builder("busbar.redundancy.switchovers").description("Changes of the active server")
                .tag("pair", pair).register(registry);
        this.filledFromPartner = Counter.builder("busbar.source.filled.from.partner")
                .description("Readings of nodes silent on the active server forwarded from its hot partner's stream")
                .tag("pair", pair).register(registry);
        this.skippedSlots = Counter.builder("busbar.source.skipped.slots")
                .description("Times the active server's live stream skipped a node's source slot (read back from history)")
                .tag("pair", pair).register(registry);
        this.droppedSamples = Counter.builder("busbar.source.dropped")
                .description("Live samples dropped because ingest could not keep up; read back from history")
                .tag("pair", pair).register(registry);
        this.lostPublishes = Counter.builder("busbar.source.lost.publishes")
                .description("Times a server's publish responses were lost for good (a sequence gap it could not"
                        + " republish); read back from history").tag("pair", pair).register(registry);
        this.backfillWaited = Counter.builder("busbar.backfill.waited.seconds")
                .description("Seconds read-backs waited before reading more history because the targets were behind"
                        + " (read later, nothing lost)").tag("pair", pair).register(registry);
        // Micrometer holds a gauge's object weakly: the selector and the counter live as long as the pair
        Gauge.builder("busbar.redundancy.active", selector, s -> s.active().map(role -> role.ordinal() + 1).orElse(0))
                .description("Active server: 0 none, 1 primary, 2 secondary").tag("pair", pair).register(registry);
        Gauge.builder("busbar.source.queued", queuedSamples, AtomicInteger::get)
                .description("Live samples waiting for the pair's event loop").tag("pair", pair).register(registry);
        for (ServerRole role : ServerRole.values()) {
            Gauge.builder("busbar.redundancy.service.level", selector, s -> s.health(role).serviceLevel().orElse(-1))
                    .description("ServiceLevel the server reports, -1 unknown").tag("pair", pair)
                    .tag("server", role.wireName()).register(registry);
            // per server, so an alert can tell "the active one is stale" from "the standby is down"
            Gauge.builder("busbar.redundancy.server.connected", selector, s -> s.health(role).connected() ? 1 : 0)
                    .description("1 while Busbar has a session with the server").tag("pair", pair)
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.redundancy.server.healthy", selector, s -> s.health(role).healthy() ? 1 : 0)
                    .description("1 while the server passes every health criterion").tag("pair", pair)
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.redundancy.server.stale", selector, s -> s.health(role).stale() ? 1 : 0)
                    .description("1 while the server's values stopped changing").tag("pair", pair)
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.redundancy.server.active", selector,
                            s -> s.active().filter(role::equals).isPresent() ? 1 : 0)
                    .description("1 for the server Busbar forwards from").tag("pair", pair)
                    .tag("server", role.wireName()).register(registry);
            Gauge.builder("busbar.backfill.nodes.without.history", selector, s -> nodesWithoutHistory.applyAsInt(role))
                    .description("Nodes the server could not read back at its last backfill").tag("pair", pair)
                    .tag("server", role.wireName()).register(registry);
        }
    }
}
