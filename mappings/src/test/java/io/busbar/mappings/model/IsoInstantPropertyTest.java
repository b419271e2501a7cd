package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast path must be indistinguishable from the JDK: same text, same instant, same failures. */
class IsoInstantPropertyTest {

    @Property(tries = 3000)
    void format_isInstantToString(@ForAll("instants") Instant time) {
        assertThat(IsoInstant.format(time)).isEqualTo(time.toString());
    }

    @Property(tries = 3000)
    void formatInto_writesTheSameTextAsBytes_orNothingOutsideTheFastPath(@ForAll("instants") Instant time) {
        byte[] buf = new byte[4 + IsoInstant.MAX_LENGTH];
        int end = IsoInstant.formatInto(buf, 4, time);

        if (end < 0) {
            assertThat(buf).containsOnly(0);
        } else {
            assertThat(new String(buf, 4, end - 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(time.toString());
        }
    }

    @Property(tries = 3000)
    void parse_isInstantParse(@ForAll("instants") Instant time) {
        assertThat(IsoInstant.parse(time.toString())).isEqualTo(time);
    }

    @Property(tries = 1000)
    void anyFractionLength_parsesLikeTheJdk(@ForAll("instants") Instant time, @ForAll("fractionDigits") int digits) {
        String seconds = time.toString().substring(0, 19);
        String text = seconds + (digits == 0 ? "" : "." + "123456789".substring(0, digits)) + "Z";

        assertThat(IsoInstant.parse(text)).isEqualTo(Instant.parse(text));
    }

    @Test
    void timesOutsideTheFastPath_areTheJdks() {
        for (String text : new String[] {"0999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "-0001-06-01T12:00:00Z",
                "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.000000001Z", "2016-12-31T23:59:60Z"}) {
            Instant time = Instant.parse(text);
            assertThat(IsoInstant.parse(text)).as(text).isEqualTo(time);
            assertThat(IsoInstant.format(time)).as(text).isEqualTo(time.toString());
        }
    }

    @Test
    void unusualOrInvalidTimes_parseOrFailLikeTheJdk() {
        for (String text : new String[] {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T25:00:00Z",
                "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+01:00", "2024-01-01 00:00:00Z", "2024-01-0xT00:00:00Z",
                "2024-01-01T00:00:00.12a4Z", "2024-04-31T00:00:00Z", "yesterday"}) {
            Object expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                expected = DateTimeParseException.class;
            }
            if (expected instanceof Instant time) {
                assertThat(IsoInstant.parse(text)).as(text).isEqualTo(time);
            } else {
                assertThatThrownBy(() -> IsoInstant.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            }
        }
        assertThatThrownBy(() -> IsoInstant.parse("2023-02-29T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(Instant.parse("0500-01-01T00:00:00Z").getEpochSecond(),
                                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()),
                        Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
                                Arbitraries.just(0)))
                .as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(0, 9);
    }
}
