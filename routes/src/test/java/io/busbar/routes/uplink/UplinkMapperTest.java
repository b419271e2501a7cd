package io.busbar.routes.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.connectors.uplink.Uplink;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.ReadingKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UplinkMapperTest {

    private static final Instant AT = Instant.parse("2026-12-04T02:45:00Z");
    private final UplinkMapper mapper = new UplinkMapper(MappingFile.parse("lora", """
            meters:
              - id: flat-7
                registers:
                  - node: "uplink:0004A30B001C0530/volume"
                    quantity: "8-0:1.0.0"
                    unit: m3
                    scale: 0.001
                  - node: "uplink:0004a30b001c0530/meter/flow"
                    quantity: "8-0:2.0.0"
                    unit: m3
            """, "lora.yaml"));

    @Test
    void eachRegister_takesTheNumberAtItsPointer_scaled_andStampedWithTheUplinksTime() throws Exception {
        UplinkMapper.Mapped mapped = mapper.map(uplink("{\"volume\":1234567,\"meter\":{\"flow\":0.25}}"));

        assertThat(mapped.problems()).isEmpty();
        assertThat(mapped.readings()).extracting(r -> r.quantity(), r -> r.value().toPlainString(), r -> r.sourceTime(),
                r -> r.key()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("8-0:1.0.0", "1234.567", AT, ReadingKey.of("lora", "flat-7", "8-0:1.0.0", AT)),
                org.assertj.core.groups.Tuple.tuple("8-0:2.0.0", "0.25", AT, ReadingKey.of("lora", "flat-7", "8-0:2.0.0", AT)));
    }

    @Test
    void missingPointer_text_boolean_object_areProblems_theOtherRegisterStillMaps() throws Exception {
        assertThat(mapper.map(uplink("{\"meter\":{\"flow\":1}}")).problems()).singleElement().asString()
                .isEqualTo("flat-7 8-0:1.0.0: no value at /volume in the decoded payload");
        assertThat(mapper.map(uplink("{\"volume\":\"NaN\",\"meter\":{\"flow\":1}}"))).satisfies(m -> {
            assertThat(m.readings()).hasSize(1);
            assertThat(m.problems()).singleElement().asString().contains("flat-7 8-0:1.0.0 at /volume")
                    .contains("not numeric: 'NaN'");
        });
        assertThat(mapper.map(uplink("{\"volume\":true,\"meter\":{\"flow\":1}}")).problems()).singleElement()
                .asString().contains("value of type Boolean");
        assertThat(mapper.map(uplink("{\"volume\":{\"v\":1},\"meter\":{\"flow\":1}}")).problems()).singleElement()
                .asString().contains("not numeric");
    }

    @Test
    void unknownDevice_isAProblem() throws Exception {
        Uplink other = new Uplink("ffffffffffffffff", "stray", "p", 1, AT, new ObjectMapper().readTree("{}"));
        assertThat(mapper.map(other).problems()).containsExactly("device ffffffffffffffff (stray) is not in the mapping");
        assertThat(mapper.devices()).isEqualTo(1);
    }

    private static Uplink uplink(String decoded) throws Exception {
        return new Uplink("0004a30b001c0530", "flat-7", "water-v1", 42, AT, new ObjectMapper().readTree(decoded));
    }
}
