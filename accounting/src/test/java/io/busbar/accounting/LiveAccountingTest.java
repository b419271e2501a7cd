package io.busbar.accounting;

import static io.busbar.accounting.Registers.reading;
import static io.busbar.accounting.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.EstimationMethod;
import io.busbar.mappings.accounting.GroupSpec;
import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.accounting.Tolerance;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveAccountingTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:07Z");
    private static final AccountingSpec SPEC = new AccountingSpec(ZoneId.of("UTC"), List.of(IntervalLength.SEC15, IntervalLength.MIN1),
            EstimationMethod.LINEAR, Map.of(), List.of(new GroupSpec("building", List.of("m2", "m3"), Map.of(Registers.ENERGY, "m1"),
                    new Tolerance(BigDecimal.ONE, BigDecimal.ZERO), List.of())));
    private static final List<io.busbar.mappings.model.Register> REGISTERS = List.of(register("m1", null), register("m2", null), register("m3", null));

    @TempDir
    Path dir;

    /** One reading per meter and second: m1 = m2 + m3 + a leak of 0.5 per second from second 100 on. */
    private static List<Reading> second(int s, Predicate<String> present) {
        List<Reading> batch = new ArrayList<>();
        Instant at = T0.plusSeconds(s);
        BigDecimal m2 = BigDecimal.valueOf(1000 + 2L * s);
        BigDecimal m3 = BigDecimal.valueOf(2000 + 3L * s);
        BigDecimal leak = BigDecimal.valueOf(Math.max(0, s - 100)).multiply(new BigDecimal("0.5"));
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("m1", m2.add(m3).add(leak));
        values.put("m2", m2);
        values.put("m3", m3);
        values.forEach((meter, value) -> {
            if (present.test(meter)) {
                batch.add(reading(meter, at, value));
            }
        });
        return batch;
    }

    private LiveAccounting open() {
        return new LiveAccounting(Registers.PAIR, SPEC, REGISTERS, dir, Duration.ofMinutes(3));
    }

    /** Feeds seconds [from, to) one message each, committing every message; returns what was handed on. */
    private static Map<String, String> run(LiveAccounting live, int from, int to, Predicate<String> present, List<String> sentKeys) {
        return feed(live, from, to, s -> second(s, present), sentKeys);
    }

    private static Map<String, String> feed(LiveAccounting live, int from, int to, IntFunction<List<Reading>> seconds,
                                           List<String> sentKeys) {
        Map<String, String> handedOn = new LinkedHashMap<>();
        for (int s = from; s < to; s++) {
            live.settle(false);
            live.accept(seconds.apply(s));
            LiveAccounting.Outputs out = live.due();
            out.intervals().forEach(r -> {
                handedOn.put(Keys.withoutRevision(r.key()), r.value().toPlainString() + " " + r.validation());
                sentKeys.add(r.key());
            });
            out.events().forEach(e -> {
                handedOn.put(Keys.withoutRevision(e.key()), e.difference().toPlainString() + (e.withdrawn() ? " withdrawn" : ""));
                sentKeys.add(e.key());
            });
        }
        return handedOn;
    }

    private static Map<String, String> batchTruth(int to, Predicate<String> present) {
        List<Reading> all = new ArrayList<>();
        for (int s = 0; s < to; s++) {
            all.addAll(second(s, present));
        }
        Accounting.Result result = new Accounting(Registers.PAIR, SPEC, REGISTERS).compute(all, null, null);
        Map<String, String> truth = new LinkedHashMap<>();
        result.intervals().forEach(r -> truth.put(Keys.withoutRevision(r.key()), r.value().toPlainString() + " " + r.validation()));
        result.events().forEach(e -> truth.put(Keys.withoutRevision(e.key()), e.difference().toPlainString()));
        return truth;
    }

    @Test
    void restartAfterAKill_handsOnEveryIntervalOfTheBatchCommand_eachOnce() throws Exception {
        List<String> sent = new ArrayList<>();
        Map<String, String> handedOn = new LinkedHashMap<>();
        LiveAccounting first = open();
        handedOn.putAll(run(first, 0, 130, m -> true, sent));
        first.close(); // killed: the last message's outputs were committed but never settled
        LiveAccounting second = open();
        handedOn.putAll(run(second, 130, 300, m -> true, sent));

        Map<String, String> truth = batchTruth(300, m -> true);
        // the batch command also closes the interval that ends at the last reading; live waits for a reading past it
        truth.keySet().removeIf(k -> !handedOn.containsKey(k) && k.contains(T0.plusSeconds(293).toString().substring(0, 17)));
        assertThat(handedOn).isEqualTo(truth);
        assertThat(sent).as("a key is sent again only for the message a kill cut off").hasSizeLessThanOrEqualTo(truth.size() + 12);
        assertThat(handedOn.keySet()).anyMatch(k -> k.endsWith("/imbalance"));
        assertThat(second.status().outOfBalance()).isNotEmpty();
    }

    @Test
    void redeliveredMessage_handsItsOutputsOnAgain() {
        LiveAccounting live = open();
        List<String> sent = new ArrayList<>();
        run(live, 0, 40, m -> true, sent);
        int before = sent.size();
        live.settle(false);
        live.accept(second(40, m -> true)); // 00:00:47: no new boundary
        live.accept(second(53, m -> true)); // 00:01:00 passed: the 00:00:45–00:01:00 interval closes
        List<Reading> out = live.due().intervals();
        assertThat(out).isNotEmpty();
        live.settle(true); // rolled back
        live.accept(second(53, m -> true));
        assertThat(live.due().intervals()).extracting(Reading::key).containsExactlyElementsOf(out.stream().map(Reading::key).toList());
        assertThat(before).isPositive();
    }

    @Test
    void estimateIsReplacedByTheRealValue_sameIntervalNewRevision() {
        LiveAccounting live = open();
        List<String> sent = new ArrayList<>();
        // m3 is silent from second 30 to 80, then comes back: its intervals in the gap are estimated
        Map<String, String> first = run(live, 0, 120, m -> true, sent);
        assertThat(first).isNotEmpty();
        LiveAccounting gap = new LiveAccounting(Registers.PAIR, SPEC, REGISTERS, dir.resolve("gap"), Duration.ofMinutes(3));
        List<String> gapSent = new ArrayList<>();
        Map<String, String> estimated = run(gap, 0, 30, m -> true, gapSent);
        estimated.putAll(run(gap, 30, 80, m -> !m.equals("m3"), gapSent));
        estimated.putAll(run(gap, 80, 120, m -> true, gapSent));
        assertThat(estimated.values()).anyMatch(v -> v.endsWith(ValidationStatus.ESTIMATED.name()));
        // the history backfill brings the missing seconds
        List<Reading> backfill = new ArrayList<>();
        for (int s = 30; s < 80; s++) {
            backfill.addAll(second(s, m -> m.equals("m3")));
        }
        gap.settle(false);
        gap.accept(backfill);
        LiveAccounting.Outputs replaced = gap.due();
        assertThat(replaced.intervals()).isNotEmpty().allSatisfy(r -> assertThat(r.validation()).isEqualTo(ValidationStatus.VALID));
        replaced.intervals().forEach(r -> assertThat(gapSent).anyMatch(k -> Keys.withoutRevision(k).equals(Keys.withoutRevision(r.key()))
                && !k.equals(r.key())));
        gap.settle(false);
        assertThat(gap.status().estimatedIntervals()).isZero();
    }

    @Test
    void compactedLog_givesTheSameIntervals() throws Exception {
        List<String> sent = new ArrayList<>();
        LiveAccounting live = open();
        Map<String, String> handedOn = run(live, 0, 900, m -> true, sent);
        assertThat(live.status().keptReadings()).as("thinned").isLessThan(900 * 3 / 2);
        live.close();
        Map<String, String> truth = batchTruth(900, m -> true);
        truth.keySet().removeIf(k -> !handedOn.containsKey(k));
        assertThat(handedOn).hasSizeGreaterThan(900 / 15 * 3).isEqualTo(truth);
    }

    /**
     * m1 = m2 + m3 exactly, but m2 consumes six times faster from second 30 to 55: while m1 is silent
     * (seconds 30 to 80) its straight-line estimate spreads the gap evenly and the group looks out of
     * balance; once the history backfill brings m1's real values it balances again.
     */
    private static List<Reading> uneven(int s, Predicate<String> present) {
        long m2 = 1000 + 2L * s + 10L * Math.max(0, Math.min(s, 55) - 30);
        long m3 = 2000 + 3L * s;
        List<Reading> batch = new ArrayList<>();
        Map<String, Long> values = Map.of("m1", m2 + m3, "m2", m2, "m3", m3);
        for (String meter : List.of("m1", "m2", "m3")) {
            if (present.test(meter)) {
                batch.add(reading(meter, T0.plusSeconds(s), BigDecimal.valueOf(values.get(meter))));
            }
        }
        return batch;
    }

    @Test
    void eventRaisedOnAnEstimate_isWithdrawnOnceTheRealValuesBalance_once() {
        LiveAccounting live = open();
        List<String> sent = new ArrayList<>();
        Map<String, String> handedOn = feed(live, 0, 30, s -> uneven(s, m -> true), sent);
        handedOn.putAll(feed(live, 30, 80, s -> uneven(s, m -> !m.equals("m1")), sent));
        handedOn.putAll(feed(live, 80, 120, s -> uneven(s, m -> true), sent));
        List<String> raised = handedOn.keySet().stream().filter(k -> k.endsWith("/imbalance")).toList();
        assertThat(raised).as("the even estimate of m1 against the uneven members").isNotEmpty();
        assertThat(Keys.WITHDRAWN_REVISION).as("docs/accounting.md names it").isEqualTo("fd60c459");

        List<Reading> backfill = new ArrayList<>();
        for (int s = 30; s < 80; s++) {
            backfill.addAll(uneven(s, m -> m.equals("m1")));
        }
        live.settle(false);
        live.accept(backfill);
        LiveAccounting.Outputs out = live.due();

        assertThat(out.events()).allSatisfy(e -> {
            assertThat(e.withdrawn()).isTrue();
            assertThat(e.key()).endsWith("/imbalance#" + Keys.WITHDRAWN_REVISION);
            assertThat(e.difference()).as("the interval's figures now: balanced").isEqualByComparingTo("0");
            assertThat(EventJson.toJson(e)).contains("\"state\":\"withdrawn\"");
            assertThat(EventReadings.of(e).flags()).startsWith("imbalance", "withdrawn");
        });
        assertThat(out.events()).extracting(e -> Keys.withoutRevision(e.key())).containsExactlyInAnyOrderElementsOf(raised);
        assertThat(out.intervals()).as("m1's intervals in the gap, measured now").isNotEmpty()
                .allSatisfy(r -> assertThat(r.validation()).isEqualTo(ValidationStatus.VALID));

        Map<String, String> after = feed(live, 120, 200, s -> uneven(s, m -> true), new ArrayList<>());
        assertThat(after.keySet()).as("withdrawn once, not again").noneMatch(raised::contains);
        assertThat(after.values()).noneMatch(v -> v.endsWith("withdrawn"));
    }
}
