package io.busbar.mappings.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Values the codec properties range over: decimals far beyond a long, times of any year 1900–9999. */
final class WireArbitraries {

    private WireArbitraries() {
    }

    static Arbitrary<BigDecimal> decimals() {
        return Combinators.combine(
                        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
                        Arbitraries.integers().between(-30, 60))
                .as(BigDecimal::new)
                .edgeCases(edges -> edges.add(BigDecimal.ZERO).add(new BigDecimal("0.00")).add(new BigDecimal("100.0")));
    }

    static Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(Instant.parse("1900-01-01T00:00:00Z").getEpochSecond(),
                                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }
}
