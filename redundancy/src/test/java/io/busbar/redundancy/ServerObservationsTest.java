package io.busbar.redundancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.ServerRole;
import io.busbar.support.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerObservationsTest {

    private static final Instant T0 = Instant.parse("2025-01-15T08:00:00Z");
    private static final String HB = "ns=2;s=HB";
    private static final String ROLE = "ns=2;s=Role";
    private static final String WATCH = "ns=2;s=W";

    private final ServerObservations observations = new ServerObservations(HealthCriteria.defaults()
            .withHeartbeat(new HeartbeatCriterion(HB, Duration.ofSeconds(5)))
            .withRole(new RoleCriterion(ROLE, "true"))
            .withWatchNodes(List.of(WATCH)));

    @Test
    void heartbeat_recordsWhenTheValueLastChanged_notWhenItLastArrived() {
        observations.value(HB, 7, 0, T0);
        observations.value(HB, 7, 0, T0.plusSeconds(1));
        observations.value(HB, 8, 0, T0.plusSeconds(2));
        observations.value(HB, 8, 0, T0.plusSeconds(3));

        assertThat(observations.heartbeatChangedAt()).contains(T0.plusSeconds(2));
        assertThat(observations.lastValueAt()).contains(T0.plusSeconds(3));
    }

    @Test
    void anySample_movesLastValueAt_neverBackwards() {
        observations.value("ns=2;s=Meter1", 1, 0, T0.plusSeconds(5));
        observations.value("ns=2;s=Meter2", 2, 0, T0.plusSeconds(4));

        assertThat(observations.lastValueAt()).contains(T0.plusSeconds(5));
    }

    @Test
    void roleValue_storedAsText_watchQualityFromSeverityBits() {
        observations.value(ROLE, Boolean.TRUE, 0, T0);
        observations.value(WATCH, 1, 0x40920000L, T0); // Uncertain_…

        assertThat(observations.roleValue()).contains("true");
        assertThat(observations.watchQuality(WATCH)).contains(Quality.UNCERTAIN);
        assertThat(observations.watchQuality("ns=2;s=Other")).isEmpty();
    }

    @Test
    void disconnect_forgetsWhatDescribedTheOldSession() {
        observations.connected(true, T0);
        observations.serviceLevel(255, T0);
        observations.value(ROLE, true, 0, T0);
        observations.value(WATCH, 1, 0x80000000L, T0);

        observations.connected(false, T0.plusSeconds(1));

        assertThat(observations.isConnected()).isFalse();
        assertThat(observations.connectedSince()).isEmpty();
        assertThat(observations.serviceLevel()).isEmpty();
        assertThat(observations.roleValue()).isEmpty();
        assertThat(observations.watchQuality(WATCH)).isEmpty();
        assertThat(observations.lastFaultAt()).contains(T0.plusSeconds(1));
    }

    @Test
    void repeatedConnected_keepsTheOriginalConnectionTime() {
        observations.connected(true, T0);
        observations.connected(true, T0.plusSeconds(3));

        assertThat(observations.connectedSince()).contains(T0);
    }

    @Test
    void faults_areObservationsThatAloneMakeTheServerUnhealthy() {
        observations.serviceLevel(255, T0);
        observations.value(ROLE, true, 0, T0.plusSeconds(1));
        assertThat(observations.lastFaultAt()).isEmpty();

        observations.serviceLevel(199, T0.plusSeconds(2));
        assertThat(observations.lastFaultAt()).contains(T0.plusSeconds(2));
        observations.value(WATCH, 1, 0x80000000L, T0.plusSeconds(3));
        assertThat(observations.lastFaultAt()).contains(T0.plusSeconds(3));
    }

    @Test
    void serviceLevelOutsideAByte_isRejected() {
        assertThatThrownBy(() -> observations.serviceLevel(256, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ServiceLevel is a byte, 0..255; got 256");
    }

    @Test
    void text_writesNumbersTheWayOperatorsDo() {
        assertThat(ServerObservations.text(1.0d)).isEqualTo("1");
        assertThat(ServerObservations.text(2.50f)).isEqualTo("2.5");
        assertThat(ServerObservations.text(new BigDecimal("1.000"))).isEqualTo("1");
        assertThat(ServerObservations.text(42L)).isEqualTo("42");
        assertThat(ServerObservations.text(" ACTIVE ")).isEqualTo("ACTIVE");
        assertThat(ServerObservations.text(Double.NaN)).isEqualTo("NaN");
        assertThat(ServerObservations.text(null)).isEqualTo("null");
    }

    @Test
    void feedingFromManyThreadsWhileASelectorEvaluates_staysConsistent() throws Exception {
        PairSelector pair = new PairSelector("plant", RedundancyPolicy.defaults(), true,
                new MutableClock(T0));
        ServerObservations primary = pair.observations(ServerRole.PRIMARY);
        primary.connected(true, T0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> feeders = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int offset = thread;
                feeders.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        primary.value("ns=2;s=M" + (i % 10), i, 0, T0.plusMillis(i * 4L + offset));
                        primary.serviceLevel(200 + (i % 56), T0);
                    }
                }));
            }
            while (feeders.stream().anyMatch(f -> !f.isDone())) {
                pair.evaluate();
                pair.state();
            }
            for (Future<?> feeder : feeders) {
                feeder.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(primary.lastValueAt()).contains(T0.plusMillis(4_999 * 4L + 3));
        assertThat(pair.active()).contains(ServerRole.PRIMARY);
    }

    @Test
    void sourceTime_theFirstBatchOfASessionIsNoAdvance_laterNewerOnesAre() {
        observations.connected(true, T0);
        observations.sourceTime(T0.minusSeconds(30), T0); // the subscription's initial values

        assertThat(observations.newestSourceTime()).contains(T0.minusSeconds(30));
        assertThat(observations.sourceAdvancedAt()).isEmpty();
        assertThat(observations.snapshot().advancingSinceConnected()).isFalse();

        observations.sourceTime(T0.minusSeconds(40), T0.plusSeconds(1)); // older: no advance either
        assertThat(observations.sourceAdvancedAt()).isEmpty();

        observations.sourceTime(T0.plusMillis(1700), T0.plusSeconds(2));
        assertThat(observations.newestSourceTime()).contains(T0.plusMillis(1700));
        assertThat(observations.sourceAdvancedAt()).contains(T0.plusSeconds(2));
        assertThat(observations.snapshot().advancingSinceConnected()).isTrue();
    }

    @Test
    void reconnection_keepsTheNewestSourceTime_butMustAdvanceAnew() {
        observations.connected(true, T0);
        observations.sourceTime(T0, T0);
        observations.sourceTime(T0.plusSeconds(1), T0.plusSeconds(1));
        observations.connected(false, T0.plusSeconds(2));
        observations.connected(true, T0.plusSeconds(3));

        assertThat(observations.newestSourceTime()).contains(T0.plusSeconds(1));
        assertThat(observations.snapshot().advancingSinceConnected()).isFalse();
    }

    @Test
    void items_countsKept_mostlyDeadIsAFault() {
        observations.items(2, 10, T0);
        assertThat(observations.deadItems()).isEqualTo(2);
        assertThat(observations.items()).isEqualTo(10);
        assertThat(observations.lastFaultAt()).isEmpty();

        observations.items(6, 10, T0.plusSeconds(1));
        assertThat(observations.lastFaultAt()).contains(T0.plusSeconds(1));

        observations.connected(true, T0.plusSeconds(2));
        observations.connected(false, T0.plusSeconds(3));
        assertThat(observations.deadItems()).isEqualTo(6); // the source reports again when it re-creates them
    }

    @Test
    void tried_onceConnectedOrAnAttemptFailed() {
        assertThat(observations.snapshot().tried()).isFalse();
        observations.connected(false, T0); // the runtime repeats the current state: not an attempt
        assertThat(observations.snapshot().tried()).isFalse();

        observations.connectFailed(T0.plusSeconds(1));

        assertThat(observations.snapshot().tried()).isTrue();
        assertThat(observations.lastFaultAt()).contains(T0.plusSeconds(1));
    }
}
