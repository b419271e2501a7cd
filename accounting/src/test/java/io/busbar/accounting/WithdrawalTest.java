package io.busbar.accounting;

import static io.busbar.accounting.Registers.reading;
import static io.busbar.accounting.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.GroupSpec;
import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.accounting.Limit;
import io.busbar.mappings.accounting.Tolerance;
import io.busbar.mappings.model.Reading;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which conditions a judged interval withdraws: those that do not hold in it, and only those. */
class WithdrawalTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final AccountingSpec SPEC = new AccountingSpec(ZoneId.of("UTC"), List.of(IntervalLength.MIN1), EstimationMethod.LINEAR,
            Map.of(), List.of(new GroupSpec("building", List.of("m2"), Map.of(Registers.ENERGY, "m1"), new Tolerance(BigDecimal.ONE,
                    BigDecimal.ZERO), List.of(new Limit(Registers.ENERGY, IntervalLength.MIN1, BigDecimal.TEN, BigDecimal.valueOf(20))))));

    /** One minute in which m1 counts {@code parent} and its only member m2 {@code member}. */
    private static Accounting.Result minute(long parent, long member) {
        List<Reading> readings = List.of(reading("m1", T0, BigDecimal.ZERO), reading("m2", T0, BigDecimal.ZERO),
                reading("m1", T0.plusSeconds(60), BigDecimal.valueOf(parent)), reading("m2", T0.plusSeconds(60), BigDecimal.valueOf(member)));
        return new Accounting(Registers.PAIR, SPEC, List.of(register("m1", null), register("m2", null))).compute(readings, T0,
                T0.plusSeconds(60));
    }

    private static List<String> types(List<AccountingEvent> events) {
        return events.stream().map(e -> e.type().wireName()).toList();
    }

    @Test
    void overMaximumAndOutOfBalance_nothingWithdrawn() {
        Accounting.Result result = minute(25, 20);
        assertThat(types(result.events())).containsExactlyInAnyOrder("imbalance", "over-maximum");
        assertThat(result.withdrawn()).as("over the maximum is over the allowed limit too").isEmpty();
    }

    @Test
    void overAllowedOnly_withdrawsOverMaximum_andTheBalancedImbalance() {
        Accounting.Result result = minute(15, 15);
        assertThat(types(result.events())).containsExactly("over-allowed");
        assertThat(types(result.withdrawn())).containsExactlyInAnyOrder("imbalance", "over-maximum");
        AccountingEvent overMaximum = result.withdrawn().stream().filter(e -> e.type() == AccountingEvent.Type.OVER_MAXIMUM)
                .findFirst().orElseThrow();
        assertThat(overMaximum.withdrawn()).isTrue();
        assertThat(overMaximum.difference()).as("consumption - maximum").isEqualByComparingTo("-5");
        assertThat(overMaximum.threshold()).isEqualByComparingTo("20");
    }

    @Test
    void balancedAndUnderTheLimits_withdrawsAllThree_withTheSameKeysButTheRevision() {
        Accounting.Result raised = minute(25, 20);
        Accounting.Result balanced = minute(5, 5);
        assertThat(balanced.events()).isEmpty();
        assertThat(types(balanced.withdrawn())).containsExactlyInAnyOrder("imbalance", "over-allowed", "over-maximum");
        assertThat(balanced.withdrawn()).allSatisfy(e -> assertThat(e.key()).endsWith("#" + Keys.WITHDRAWN_REVISION));
        assertThat(balanced.withdrawn().stream().map(e -> Keys.withoutRevision(e.key())))
                .containsAll(raised.events().stream().map(e -> Keys.withoutRevision(e.key())).toList());
        assertThat(EventJson.toJson(raised.events().get(0))).contains("\"state\":\"raised\"");
    }
}
