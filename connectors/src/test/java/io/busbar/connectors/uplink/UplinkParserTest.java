package io.busbar.connectors.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UplinkParserTest {

    static final String CHIRPSTACK = """
            {"deduplicationId":"3ac7e3c4-4401-4b8d-9386-a5c902f9202d","time":"2026-12-04T03:00:00.512Z",
             "deviceInfo":{"tenantId":"t","applicationId":"a","deviceProfileName":"water-meter-v2",
                           "deviceName":"flat-7","devEui":"0004A30B001C0530"},
             "fCnt":42,"fPort":2,"data":"AQID",
             "object":{"volume":1234.5,"readAt":"2026-12-04T02:45:00Z"},
             "rxInfo":[{"gatewayId":"gw2","nsTime":"2026-12-04T03:00:00.530Z"},
                       {"gatewayId":"gw1","gwTime":"2026-12-04T03:00:00.501Z","nsTime":"2026-12-04T03:00:00.520Z"}]}
            """;
    static final String TTS = """
            {"end_device_ids":{"device_id":"heat-12","application_ids":{"application_id":"district-heat"},
                               "dev_eui":"70B3D57ED0051A2B"},
             "received_at":"2026-12-04T03:00:01.9Z",
             "uplink_message":{"f_port":1,"f_cnt":7,"frm_payload":"AQID",
                               "decoded_payload":{"energy_kwh":88.25,"ts":1796353200},
                               "rx_metadata":[{"gateway_ids":{"gateway_id":"g1"},"time":"2026-12-04T03:00:01.2Z"},
                                              {"gateway_ids":{"gateway_id":"g2"},"received_at":"2026-12-04T03:00:01.1Z"}],
                               "received_at":"2026-12-04T03:00:01.5Z"}}
            """;

    @Test
    void chirpStackV4_gatewayTime_isTheEarliestGatewayReceiveTime() throws Exception {
        Uplink uplink = new UplinkParser(UplinkParser.TimeSource.GATEWAY, null).parse(bytes(CHIRPSTACK));

        assertThat(uplink.device()).isEqualTo("0004a30b001c0530");
        assertThat(uplink.deviceName()).isEqualTo("flat-7");
        assertThat(uplink.profile()).isEqualTo("water-meter-v2");
        assertThat(uplink.frameCounter()).isEqualTo(42);
        assertThat(uplink.time()).isEqualTo(Instant.parse("2026-12-04T03:00:00.501Z"));
        assertThat(uplink.decoded().get("volume").decimalValue()).isEqualByComparingTo("1234.5");
    }

    @Test
    void theThingsStackV3_deviceTime_fromThePointer_epochSeconds() throws Exception {
        Uplink uplink = new UplinkParser(UplinkParser.TimeSource.DEVICE, "/ts").parse(bytes(TTS));

        assertThat(uplink.device()).isEqualTo("70b3d57ed0051a2b");
        assertThat(uplink.profile()).isEqualTo("district-heat");
        assertThat(uplink.frameCounter()).isEqualTo(7);
        assertThat(uplink.time()).isEqualTo(Instant.ofEpochSecond(1796353200));
        Uplink byGateway = new UplinkParser(UplinkParser.TimeSource.GATEWAY, null).parse(bytes(TTS));
        assertThat(byGateway.time()).isEqualTo(Instant.parse("2026-12-04T03:00:01.1Z"));
    }

    @Test
    void chirpStackDeviceTime_isoText() throws Exception {
        assertThat(new UplinkParser(UplinkParser.TimeSource.DEVICE, "/readAt").parse(bytes(CHIRPSTACK)).time())
                .isEqualTo(Instant.parse("2026-12-04T02:45:00Z"));
    }

    @Test
    void badUplinks_sayWhy() {
        UplinkParser parser = new UplinkParser(UplinkParser.TimeSource.DEVICE, "/readAt");
        assertThat(reason(parser, "{not json")).startsWith("not JSON");
        assertThat(reason(parser, "{\"hello\":1}")).contains("neither a ChirpStack v4");
        assertThat(reason(parser, CHIRPSTACK.replace("\"object\":", "\"objectX\":")))
                .contains("no decoded payload object (object)");
        assertThat(reason(parser, CHIRPSTACK.replace("\"readAt\"", "\"other\""))).contains("no device time at /readAt");
        assertThat(reason(parser, CHIRPSTACK.replace("2026-12-04T02:45:00Z", "yesterday")))
                .contains("decoded/readAt: not an ISO-8601 time");
        assertThat(reason(parser, CHIRPSTACK.replace("\"devEui\":\"0004A30B001C0530\"", "\"devEui\":\"\"")))
                .contains("deviceInfo.devEui is missing");
    }

    private static String reason(UplinkParser parser, String json) {
        return catchThrowableOfType(BadUplinkException.class, () -> parser.parse(bytes(json))).getMessage();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
