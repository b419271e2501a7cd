package io.busbar.mappings.wire;

import io.busbar.mappings.support.TestDecimals;
import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;

/**
 * Values the codec properties range over: decimals far beyond a long, times of any year 1900–9999.
 * A property class implements it to use them as {@code @ForAll("decimals")} and {@code @ForAll("instants")}
 * (jqwik finds provider methods on the container's interfaces too).
 */
interface WireArbitraries {

    @Provide
    default Arbitrary<BigDecimal> decimals() {
        return TestDecimals.decimals(40, -30, 60, BigDecimal.ZERO, new BigDecimal("0.00"), new BigDecimal("100.0"));
    }

    @Provide
    default Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(Instant.parse("1900-01-01T00:00:00Z").getEpochSecond(),
                                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }
}
