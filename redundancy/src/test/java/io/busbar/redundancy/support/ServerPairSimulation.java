package io.busbar.redundancy.support;

import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.PairSelector;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.redundancy.ServerObservations;
import io.busbar.redundancy.Switchover;
import io.busbar.support.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A server pair as two co-located Busbar instances see it: every event of a server (start, kill,
 * ServiceLevel, freeze) reaches the observations of each running instance at the same moment, the way
 * each instance's own sessions report it. An instance can be restarted: it then starts from nothing,
 * connecting to the servers that are up (their initial values included) and failing on those that
 * are down. Time moves in steps of 100 ms, the runtime's evaluation period; a live server reports a
 * new source time every second.
 */
public final class ServerPairSimulation {

    public static final Duration STEP = Duration.ofMillis(100);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(1);
    /** How long after sampling a value reaches Busbar: source times trail Busbar's clock a little. */
    private static final Duration DELIVERY = Duration.ofMillis(300);

    private final MutableClock clock;
    private final RedundancyPolicy policy;
    private final Map<ServerRole, Server> servers = new EnumMap<>(ServerRole.class);
    private final Map<ServerRole, PairSelector> instances = new EnumMap<>(ServerRole.class);
    private final List<Switchover> switchovers = new ArrayList<>();
    private long steps;

    private static final class Server {
        boolean up;
        boolean frozen;
        int serviceLevel;
        Instant newestSourceTime;
    }

    /** Both servers up with ServiceLevel 255, no instance running yet. */
    public ServerPairSimulation(MutableClock clock, RedundancyPolicy policy) {
        this.clock = clock;
        this.policy = policy;
        for (ServerRole role : ServerRole.values()) {
            Server server = new Server();
            server.up = true;
            server.serviceLevel = 255;
            server.newestSourceTime = clock.instant().minus(DELIVERY);
            servers.put(role, server);
        }
    }

    /** Starts (or restarts, from nothing) the instance beside {@code role}. */
    public PairSelector startInstance(ServerRole beside) {
        PairSelector instance = new PairSelector("plant", policy, true, Optional.of(beside), clock);
        instances.put(beside, instance);
        for (ServerRole role : ServerRole.values()) {
            Server server = servers.get(role);
            if (server.up) {
                connect(instance.observations(role), server);
            } else {
                instance.observations(role).connectFailed(clock.instant());
            }
        }
        return instance;
    }

    public void stopInstance(ServerRole beside) {
        instances.remove(beside);
    }

    public PairSelector instance(ServerRole beside) {
        return instances.get(beside);
    }

    public void kill(ServerRole role) {
        Server server = servers.get(role);
        if (server.up) {
            server.up = false;
            each(role, observations -> observations.connected(false, clock.instant()));
        }
    }

    /** Starts a server that is down; with its last values, as a SCADA server that restarts. */
    public void start(ServerRole role, int serviceLevel) {
        Server server = servers.get(role);
        if (!server.up) {
            server.up = true;
            server.serviceLevel = serviceLevel;
            each(role, observations -> connect(observations, server));
        }
    }

    public void serviceLevel(ServerRole role, int level) {
        Server server = servers.get(role);
        server.serviceLevel = level;
        if (server.up) {
            each(role, observations -> observations.serviceLevel(level, clock.instant()));
        }
    }

    /** Values freeze with the session up: no new source times, everything else fine. */
    public void freeze(ServerRole role, boolean frozen) {
        servers.get(role).frozen = frozen;
    }

    public boolean isUp(ServerRole role) {
        return servers.get(role).up;
    }

    /** Moves time by {@code duration} in steps, reporting and evaluating at each as the runtime does. */
    public void run(Duration duration, Runnable afterEachStep) {
        for (long i = 0; i < duration.dividedBy(STEP); i++) {
            clock.advance(STEP);
            steps++;
            if (steps % REPORT_EVERY.dividedBy(STEP) == 0) {
                report();
            }
            for (PairSelector instance : instances.values()) {
                instance.evaluate().ifPresent(switchovers::add);
            }
            afterEachStep.run();
        }
    }

    public void run(Duration duration) {
        run(duration, () -> { });
    }

    /** Every switchover any instance made. */
    public List<Switchover> switchovers() {
        return switchovers;
    }

    private void report() {
        for (ServerRole role : ServerRole.values()) {
            Server server = servers.get(role);
            if (server.up && !server.frozen) {
                server.newestSourceTime = clock.instant().minus(DELIVERY);
                each(role, observations -> observations.sourceTime(server.newestSourceTime, clock.instant()));
            }
        }
    }

    /** A session comes up: connected, ServiceLevel read, the subscription's initial values delivered. */
    private void connect(ServerObservations observations, Server server) {
        observations.connected(true, clock.instant());
        observations.serviceLevel(server.serviceLevel, clock.instant());
        observations.sourceTime(server.newestSourceTime, clock.instant());
    }

    private void each(ServerRole role, Consumer<ServerObservations> event) {
        instances.values().forEach(instance -> event.accept(instance.observations(role)));
    }
}
