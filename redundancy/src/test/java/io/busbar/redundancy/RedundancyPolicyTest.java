package io.busbar.redundancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedundancyPolicyTest {

    @Test
    void defaults_hotPrimaryPreferredStickyFiveSecondDwell() {
        RedundancyPolicy policy = RedundancyPolicy.defaults();

        assertThat(policy.mode()).isEqualTo(RedundancyMode.HOT);
        assertThat(policy.criteria()).isEqualTo(HealthCriteria.defaults());
        assertThat(policy.preferred()).isEqualTo(Preferred.PRIMARY);
        assertThat(policy.failback()).isEqualTo(new Failback.Sticky());
        assertThat(policy.minDwell()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void negativeMinDwell_isRejected() {
        assertThatThrownBy(() -> RedundancyPolicy.defaults().withMinDwell(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minDwell must not be negative, was PT-1S");
    }

    @Test
    void failbackAfterZero_isRejected() {
        assertThatThrownBy(() -> new Failback.After(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failback healthyFor must be positive, was PT0S");
    }

    @Test
    void force_namesItsServer() {
        assertThat(Force.PRIMARY.role()).contains(ServerRole.PRIMARY);
        assertThat(Force.SECONDARY.role()).contains(ServerRole.SECONDARY);
        assertThat(Force.AUTO.role()).isEmpty();
    }
}
