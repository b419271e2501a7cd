package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.Register;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Registers of a large mapping share the values they all repeat, instead of a copy each. */
class CanonicalTest {

    @Test
    void registersOfAFile_shareQuantityUnitTariffScaleAndRules() {
        Mapping mapping = MappingFile.parse("p", """
                meters:
                  - id: M1
                    registers:
                      - node: "ns=2;i=1"
                        quantity: "1-0:1.8.0"
                        unit: kWh
                        scale: 0.001
                  - id: M2
                    registers:
                      - node: "ns=2;i=2"
                        quantity: "1-0:1.8.0"
                        unit: kWh
                        scale: 0.001
                """, "shared.yaml");
        Register first = mapping.register("ns=2;i=1");
        Register second = mapping.register("ns=2;i=2");
        assertThat(second.quantity()).isSameAs(first.quantity());
        assertThat(second.unit()).isSameAs(first.unit());
        assertThat(second.tariff()).isEqualTo("T0").isSameAs(first.tariff());
        assertThat(second.scale()).isEqualByComparingTo("0.001").isSameAs(first.scale());
        assertThat(second.validation()).isSameAs(first.validation());
    }

    @Test
    void equalValues_oneInstance_butScaleOfADecimalCounts() {
        Canonical pool = new Canonical(10);
        BigDecimal a = pool.pooled(new BigDecimal("0.0010"));
        assertThat(pool.pooled(new BigDecimal("0.0010"))).isSameAs(a);
        // 0.001 and 0.0010 are not equal BigDecimals: each keeps the scale it was written with
        assertThat(pool.pooled(new BigDecimal("0.001"))).isNotSameAs(a).hasToString("0.001");
        assertThat(pool.<String>pooled(null)).isNull();
    }

    @Test
    void fullPool_returnsTheValueItself() {
        Canonical pool = new Canonical(2);
        String first = pool.pooled(new String("a"));
        pool.pooled("b");
        assertThat(pool.pooled(new String("a"))).isSameAs(first);
        String late = new String("c");
        assertThat(pool.pooled(late)).isSameAs(late);
        assertThat(pool.pooled(new String("c"))).as("not pooled: a pool never grows past its bound").isNotSameAs(late);
    }
}
