package io.busbar.mappings.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Decimals for properties the way the mapping, unit and wire properties all range over them: an
 * unscaled integer of either sign below ten to a power, at any scale of a range (negative scales
 * give large round numbers), plus the edge cases the property names.
 */
public final class TestDecimals {

    private TestDecimals() {
    }

    /** Unscaled values in (-10^digits, 10^digits), scales in [minScale, maxScale]. */
    public static Arbitrary<BigDecimal> decimals(int digits, int minScale, int maxScale, BigDecimal... edgeCases) {
        return Combinators.combine(
                        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(digits).negate(), BigInteger.TEN.pow(digits)),
                        Arbitraries.integers().between(minScale, maxScale))
                .as(BigDecimal::new)
                .edgeCases(edges -> edges.add(edgeCases));
    }
}
