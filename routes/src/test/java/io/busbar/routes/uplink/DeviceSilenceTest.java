package io.busbar.routes.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceSilenceTest {

    private static final Instant START = Instant.parse("2026-12-04T08:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void nobodyIsSilent_withinTheFirstInterval_norBeforeTheStart() {
        DeviceSilence silence = new DeviceSilence(Map.of("a1", List.of("m1")), HOUR);
        assertThat(silence.silent(START).count()).as("not started").isZero();
        silence.started(START);
        assertThat(silence.silent(START.plus(HOUR)).count()).as("exactly one interval").isZero();
        assertThat(silence.silent(START.plus(HOUR).plusSeconds(1)).longest()).singleElement()
                .satisfies(device -> {
                    assertThat(device.device()).isEqualTo("a1");
                    assertThat(device.meters()).containsExactly("m1");
                    assertThat(device.since()).isEqualTo(START);
                    assertThat(device.neverHeard()).isTrue();
                });
    }

    @Test
    void devicesThatStopped_listedBeforeThoseNeverHeard_longestSilentFirst_atMostTen_countCoversAll() {
        Map<String, List<String>> devices = new LinkedHashMap<>();
        for (int d = 1; d <= 30; d++) {
            devices.put(String.format("d%02d", d), List.of("m" + d));
        }
        DeviceSilence silence = new DeviceSilence(devices, HOUR);
        silence.started(START);
        for (int d = 1; d <= 20; d++) {
            silence.heard(String.format("d%02d", d), START.plus(Duration.ofMinutes(d))); // d01 longest ago
        }
        silence.heard("d20", START.plus(Duration.ofHours(3))); // d20 keeps reporting
        silence.heard("unmapped", START); // not in the mapping: ignored

        SilentDevices silent = silence.silent(START.plus(Duration.ofHours(3)));

        assertThat(silent.count()).isEqualTo(29);
        assertThat(silent.neverHeard()).isEqualTo(10);
        assertThat(silent.expectedInterval()).isEqualTo(HOUR);
        assertThat(silent.longest()).hasSize(DeviceSilence.LISTED).extracting(SilentDevices.Device::device)
                .containsExactly("d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10");
        assertThat(silent.longest().get(0).since()).isEqualTo(START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aLateOlderArrivalDoesNotMoveTheLastUplinkBack() {
        DeviceSilence silence = new DeviceSilence(Map.of("a1", List.of("m1")), HOUR);
        silence.started(START);
        silence.heard("a1", START.plus(HOUR));
        silence.heard("a1", START);
        assertThat(silence.silent(START.plus(HOUR).plusSeconds(60)).count()).isZero();
    }

    @Test
    void aZeroInterval_isRefused() {
        assertThatThrownBy(() -> new DeviceSilence(Map.of(), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
