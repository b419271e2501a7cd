package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class QualityPropertyTest {

    @Property
    void quality_agreesWithTheSeverityBits(@ForAll int status) {
        boolean bit31 = (status & 0x8000_0000) != 0;
        boolean bit30 = (status & 0x4000_0000) != 0;
        Quality expected = bit31 ? Quality.BAD : bit30 ? Quality.UNCERTAIN : Quality.GOOD;

        assertThat(Quality.ofStatusCode(Integer.toUnsignedLong(status))).as("unsigned status").isEqualTo(expected);
        assertThat(Quality.ofStatusCode(status)).as("sign-extended status").isEqualTo(expected);
    }

    @Property
    void lowerBits_neverChangeTheQuality(@ForAll int status, @ForAll int lowerBits) {
        long severityOnly = Integer.toUnsignedLong(status) & 0xC000_0000L;
        long withOtherBits = severityOnly | (lowerBits & 0x3FFF_FFFFL);

        assertThat(Quality.ofStatusCode(withOtherBits)).isEqualTo(Quality.ofStatusCode(severityOnly));
    }
}
