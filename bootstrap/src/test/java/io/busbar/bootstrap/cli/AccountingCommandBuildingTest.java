package io.busbar.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.bootstrap.BusbarCli;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import io.busbar.mappings.wire.ReadingCodec;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A building through {@code busbar accounting}: a parent meter and 24 apartments, a month of
 * quarter-hour registers from known profiles, 2 % line losses, apartment 07 bypassing its meter by
 * 0.5 kWh per quarter hour from a known interval on, apartment 12 silent for 6 hours.
 */
class AccountingCommandBuildingTest {

    private static final int APARTMENTS = 24;
    private static final Instant FROM = Instant.parse("2026-10-31T21:00:00Z"); // 1 Nov 00:00 in Minsk (UTC+3)
    private static final Instant TO = Instant.parse("2026-11-30T21:00:00Z");
    private static final int QUARTERS = (int) Duration.between(FROM, TO).toMinutes() / 15;
    private static final int BYPASS_FROM = 1500; // quarter index at which apartment 07 starts bypassing
    private static final BigDecimal BYPASS = new BigDecimal("0.5");
    private static final int GAP_FROM = 900; // apartment 12 reads nothing for boundaries 901..923: 24 quarters estimated
    private static final BigDecimal LOSS_FACTOR = new BigDecimal("0.98"); // the members get 98 % of what the parent counts

    @TempDir
    Path dir;

    @Test
    void bypassRaisesImbalanceFromItsIntervalOn_gapIsEstimatedAndFlagged_totalsMatchTheTruth() throws Exception {
        Files.writeString(dir.resolve("busbar.yaml"), """
                sources:
                  building:
                    primary:
                      endpoint: opc.tcp://localhost:4840/busbar
                mappings:
                  building: building.yaml
                targets:
                  readings-file:
                    type: file
                    path: out/readings.jsonl
                routes:
                  - from: building
                    to: [readings-file]
                """);
        StringBuilder mapping = new StringBuilder("meters:\n");
        mapping.append("  - id: main\n    registers: [{node: \"ns=2;s=main\", quantity: \"1-0:1.8.0\", unit: kWh, digits: 7}]\n");
        List<String> members = new ArrayList<>();
        for (int a = 1; a <= APARTMENTS; a++) {
            String id = apartment(a);
            members.add(id);
            mapping.append("  - id: ").append(id).append("\n    account: \"acc-").append(a)
                    .append("\"\n    registers: [{node: \"ns=2;s=").append(id).append("\", quantity: \"1-0:1.8.0\", unit: kWh}]\n");
        }
        mapping.append("""
                accounting:
                  time-zone: Europe/Minsk
                  intervals: [15min, day, month]
                  estimation: linear
                  meter-estimation: {apt-12: group-profile}
                  groups:
                    - id: building
                      members: [%s]
                      parent: {"1-0:1.8.0": main}
                      tolerance: {percent: 3, absolute: 0.05}
                """.formatted(String.join(", ", members)));
        Files.writeString(dir.resolve("building.yaml"), mapping);

        // the truth: each apartment a profile base × daily shape, in Wh so every register is exact
        long[] registers = new long[APARTMENTS + 1]; // Wh; index 0 the parent
        BigDecimal parentExact = BigDecimal.ZERO;
        registers[0] = 0;
        for (int a = 1; a <= APARTMENTS; a++) {
            registers[a] = 1_000_000L * a;
        }
        long[] startRegisters = registers.clone();
        BigDecimal[] lossPerQuarter = new BigDecimal[QUARTERS];
        Path readings = dir.resolve("readings.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(readings, StandardCharsets.UTF_8)) {
            writeAll(out, FROM, registers, -1);
            for (int q = 0; q < QUARTERS; q++) {
                long membersWh = 0;
                for (int a = 1; a <= APARTMENTS; a++) {
                    long wh = profileWh(a, q);
                    registers[a] += wh;
                    membersWh += wh;
                }
                BigDecimal bypassed = q >= BYPASS_FROM ? BYPASS.movePointRight(3) : BigDecimal.ZERO;
                BigDecimal parentWh = BigDecimal.valueOf(membersWh).add(bypassed).divide(LOSS_FACTOR, 0, RoundingMode.HALF_EVEN);
                lossPerQuarter[q] = parentWh.subtract(BigDecimal.valueOf(membersWh)).subtract(bypassed).movePointLeft(3);
                registers[0] += parentWh.longValueExact();
                parentExact = parentExact.add(parentWh);
                boolean apt12Silent = q + 1 > GAP_FROM && q + 1 < GAP_FROM + 24;
                writeAll(out, FROM.plus(Duration.ofMinutes(15L * (q + 1))), registers, apt12Silent ? 12 : -1);
            }
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path result = dir.resolve("out");
        int exit = BusbarCli.execute(new PrintWriter(out), new PrintWriter(err), "accounting", "--config", dir.resolve("busbar.yaml").toString(),
                "--readings", readings.toString(), "--out", result.toString(), "--from", FROM.toString(), "--to", TO.toString());

        assertThat(exit).as(err.toString()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> quarterEvents = new ArrayList<>();
        for (String line : Files.readAllLines(result.resolve("events.jsonl"))) {
            JsonNode event = json.readTree(line);
            if (event.get("interval").asText().equals("15min")) {
                quarterEvents.add(event);
            }
        }
        assertThat(quarterEvents).as("an imbalance in exactly the quarters of the bypass").hasSize(QUARTERS - BYPASS_FROM);
        for (JsonNode event : quarterEvents) {
            int q = (int) Duration.between(FROM, Instant.parse(event.get("start").asText())).toMinutes() / 15;
            assertThat(q).isGreaterThanOrEqualTo(BYPASS_FROM);
            assertThat(event.get("type").asText()).isEqualTo("imbalance");
            assertThat(event.get("group").asText()).isEqualTo("building");
            assertThat(event.get("difference").decimalValue().subtract(lossPerQuarter[q]))
                    .as("the bypassed amount, once the line losses are taken off").isEqualByComparingTo(BYPASS);
            assertThat(event.get("estimated").decimalValue()).isEqualByComparingTo("0");
        }

        List<Reading> apt12 = Files.readAllLines(result.resolve("intervals.jsonl")).stream().map(ReadingCodec::fromJson)
                .filter(r -> r.meter().equals("apt-12") && r.quantity().equals("1-0:1.8.0@15min")).toList();
        assertThat(apt12).hasSize(QUARTERS);
        List<Reading> estimated = apt12.stream().filter(r -> r.validation() == ValidationStatus.ESTIMATED).toList();
        assertThat(estimated).hasSize(24).allSatisfy(r -> assertThat(r.flags()).containsExactly("estimated", "estimated-group-profile"));
        assertThat(estimated.get(0).sourceTime()).isEqualTo(FROM.plus(Duration.ofMinutes(15L * (GAP_FROM + 1))));
        for (Reading r : estimated) {
            int q = (int) Duration.between(FROM, r.sourceTime()).toMinutes() / 15 - 1;
            // every apartment has the same shape, so the group's profile puts the gap back nearly where it was
            assertThat(r.value().doubleValue()).isCloseTo(profileWh(12, q) / 1000.0, within(0.002));
        }

        List<String> csv = Files.readAllLines(result.resolve("totals.csv"));
        assertThat(csv.get(0)).isEqualTo("group;quantity;tariff;from;to;meters;register-sum;consumption;unit;estimated;missing;quality");
        long consumedWh = 0;
        long registerSumWh = 0;
        for (int a = 1; a <= APARTMENTS; a++) {
            consumedWh += registers[a] - startRegisters[a];
            registerSumWh += registers[a];
        }
        assertThat(csv.get(1)).isEqualTo("building;1-0:1.8.0;T0;2026-11-01 00:00;2026-12-01 00:00;24;"
                + BigDecimal.valueOf(registerSumWh, 3).stripTrailingZeros().toPlainString() + ";"
                + BigDecimal.valueOf(consumedWh, 3).stripTrailingZeros().toPlainString() + ";kWh;0;0;complete");
        assertThat(out.toString()).contains("event(s)");
    }

    private static String apartment(int a) {
        return "apt-%02d".formatted(a);
    }

    /** Apartment a's consumption in quarter q, in Wh: its own base times a shape shared by all (night low, evening high). */
    private static long profileWh(int a, int q) {
        int quarterOfDay = q % 96;
        double shape = 1 + 0.6 * Math.sin(2 * Math.PI * (quarterOfDay - 30) / 96.0);
        return Math.round((80 + 8 * a) * shape);
    }

    private static void writeAll(BufferedWriter out, Instant at, long[] registers, int silent) throws Exception {
        for (int m = 0; m <= APARTMENTS; m++) {
            if (m == silent) {
                continue;
            }
            String meter = m == 0 ? "main" : apartment(m);
            BigDecimal value = BigDecimal.valueOf(registers[m], 3);
            out.write(ReadingCodec.toJson(new Reading(ReadingKey.of("building", meter, "1-0:1.8.0", at), "building", ServerRole.PRIMARY,
                    meter, "1-0:1.8.0", value, "kWh", value, at, at, Quality.GOOD, 0L, ValidationStatus.VALID, List.of(), null, null,
                    null, List.of(), null, Accumulation.REGISTER, "T0")));
            out.write('\n');
        }
    }
}
