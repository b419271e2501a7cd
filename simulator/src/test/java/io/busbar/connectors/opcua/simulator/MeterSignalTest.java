package io.busbar.connectors.opcua.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeterSignalTest {

    private static final long NOW = Instant.parse("2026-11-22T10:00:00Z").getEpochSecond();

    @Test
    void energyIsAWholeNumberOfWattHoursThatGrowsEverySecond() {
        for (int meter = 1; meter <= 40; meter++) {
            double previous = SimulatedScadaServer.energyWh(meter, NOW - 1);
            for (long second = NOW; second < NOW + 3600; second++) {
                double energy = SimulatedScadaServer.energyWh(meter, second);
                assertThat(energy).isEqualTo(Math.rint(energy)).isGreaterThan(previous);
                previous = energy;
            }
        }
    }

    @Test
    void powerIsPositiveWithThreeDecimalsAndVaries() {
        double first = SimulatedScadaServer.powerKw(7, NOW);
        boolean varies = false;
        for (long second = NOW; second < NOW + 600; second++) {
            double power = SimulatedScadaServer.powerKw(7, second);
            assertThat(power).isGreaterThanOrEqualTo(6.5);
            assertThat(java.math.BigDecimal.valueOf(power).scale()).isLessThanOrEqualTo(3);
            varies |= power != first;
        }
        assertThat(varies).isTrue();
    }

    @Test
    void energyGrowsByTheIntegralOfPower() {
        int meter = 3;
        double energyGrowth = SimulatedScadaServer.energyWh(meter, NOW + 3600) - SimulatedScadaServer.energyWh(meter, NOW);
        double powerSumKwSeconds = 0;
        for (long second = NOW; second < NOW + 3600; second++) {
            powerSumKwSeconds += SimulatedScadaServer.powerKw(meter, second);
        }
        assertThat(energyGrowth).isCloseTo(powerSumKwSeconds / 3.6, withPercentage(1));
    }

    @Test
    void metersDifferFromEachOther() {
        assertThat(SimulatedScadaServer.energyWh(1, NOW)).isNotEqualTo(SimulatedScadaServer.energyWh(2, NOW));
        assertThat(SimulatedScadaServer.powerKw(1, NOW)).isNotEqualTo(SimulatedScadaServer.powerKw(2, NOW));
    }

    @Test
    void nodeIdsNameEveryMeterWithAtLeastThreeDigits() {
        assertThat(SimulatedScadaServer.nodeIds(2)).containsExactly(
                "ns=2;s=Meter001.Energy", "ns=2;s=Meter001.Power", "ns=2;s=Meter002.Energy", "ns=2;s=Meter002.Power");
        assertThat(SimulatedScadaServer.energyNodeId(1234)).isEqualTo("ns=2;s=Meter1234.Energy");
    }
}
