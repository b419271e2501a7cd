package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.validation.Validator;
import io.busbar.redundancy.ForwardGate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forward-once hand-off of a large batch in slices (issue 12: the 1 Hz latency p99). */
class ForwarderTest {

    private static final Instant AT = Instant.parse("2026-12-04T18:00:00Z");
    private static final int NODES = 10;
    private static final int SLICE = 4;

    private final List<IngestBatch> accepted = new ArrayList<>();
    /** The sink refuses its n-th hand-off (1-based); 0 never. */
    private int refuseCall;
    private int calls;
    private final ForwardGate gate = new ForwardGate();
    private final Forwarder forwarder = new Forwarder("p", mapping(), batch -> {
        calls++;
        if (calls == refuseCall) {
            throw new IllegalStateException("buffer unavailable");
        }
        accepted.add(batch);
    }, gate, new Validator(Clock.fixed(AT, ZoneOffset.UTC)), new SimpleMeterRegistry(), SLICE);

    @Test
    void largeBatch_isMadeDurableInSlices_inOrder_eachReadingOnce() {
        int made = forwarder.forward(ServerRole.PRIMARY, publish(AT));

        assertThat(made).isEqualTo(NODES);
        assertThat(accepted).extracting(b -> b.readings().size()).containsExactly(4, 4, 2);
        assertThat(accepted).extracting(IngestBatch::seq).containsExactly(1L, 2L, 3L);
        assertThat(meters(accepted)).containsExactlyElementsOf(expectedMeters());
        assertThat(forwarder.version()).isEqualTo(3);
    }

    /**
     * The buffer refuses the second slice: the first stays durable and its nodes' gate moved, the
     * rest did not; the same batch again hands over only the rest — nothing twice, nothing skipped.
     */
    @Test
    void refusedSlice_failsTheBatch_andTheBatchAgainHandsOverOnlyTheRest() {
        refuseCall = 2;
        List<RawSample> publish = publish(AT);

        assertThatThrownBy(() -> forwarder.forward(ServerRole.PRIMARY, publish))
                .isInstanceOf(Forwarder.BufferRefusedException.class);
        assertThat(meters(accepted)).containsExactly("M0", "M1", "M2", "M3");
        assertThat(gate.isNew("n3", AT)).isFalse();
        assertThat(gate.isNew("n4", AT)).as("the refused slice's gate did not move").isTrue();

        int made = forwarder.forward(ServerRole.PRIMARY, publish);

        assertThat(made).isEqualTo(NODES - SLICE);
        assertThat(meters(accepted)).containsExactlyElementsOf(expectedMeters());
        assertThat(accepted).extracting(IngestBatch::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void batchWithinOneSlice_isOneHandOff_andNothingNew_isNone() {
        forwarder.forward(ServerRole.PRIMARY, publish(AT).subList(0, SLICE - 1));
        int again = forwarder.forward(ServerRole.SECONDARY, publish(AT).subList(0, SLICE - 1));

        assertThat(accepted).hasSize(1);
        assertThat(again).isZero();
    }

    private static Mapping mapping() {
        List<Register> registers = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            registers.add(new Register("n" + i, "M" + i, "1-0:1.8.0", "kWh", BigDecimal.ONE, BigDecimal.ZERO));
        }
        return new Mapping("p", registers);
    }

    private static List<RawSample> publish(Instant at) {
        List<RawSample> samples = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            samples.add(new RawSample("n" + i, (double) i, at, at, 0));
        }
        return samples;
    }

    private static List<String> meters(List<IngestBatch> batches) {
        return batches.stream().flatMap(b -> b.readings().stream()).map(Reading::meter).toList();
    }

    private static List<String> expectedMeters() {
        List<String> meters = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            meters.add("M" + i);
        }
        return meters;
    }
}
