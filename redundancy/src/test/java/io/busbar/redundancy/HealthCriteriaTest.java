package io.busbar.redundancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthCriteriaTest {

    @Test
    void defaults_serviceLevelAtLeast200_nothingElse() {
        HealthCriteria criteria = HealthCriteria.defaults();

        assertThat(criteria.serviceLevel()).isTrue();
        assertThat(criteria.serviceLevelThreshold()).isEqualTo(200);
        assertThat(criteria.heartbeat()).isEmpty();
        assertThat(criteria.role()).isEmpty();
        assertThat(criteria.criterionNodeIds()).isEmpty();
    }

    @Test
    void criterionNodeIds_listsHeartbeatRoleAndWatchNodes_eachOnce() {
        HealthCriteria criteria = HealthCriteria.defaults()
                .withHeartbeat(new HeartbeatCriterion("ns=2;s=HB", Duration.ofSeconds(5)))
                .withRole(new RoleCriterion("ns=2;s=Role", "true"))
                .withWatchNodes(List.of("ns=2;s=A", "ns=2;s=HB", "ns=2;s=B"));

        assertThat(criteria.criterionNodeIds()).containsExactly("ns=2;s=HB", "ns=2;s=Role", "ns=2;s=A", "ns=2;s=B");
    }

    @Test
    void watchNodes_areCopied_soLaterChangesDoNotLeakIn() {
        List<String> nodes = new ArrayList<>(List.of("ns=2;s=A"));
        HealthCriteria criteria = HealthCriteria.defaults().withWatchNodes(nodes);
        nodes.add("ns=2;s=B");

        assertThat(criteria.watchNodes()).containsExactly("ns=2;s=A");
    }

    @Test
    void thresholdOutsideAByte_isRejected() {
        assertThatThrownBy(() -> HealthCriteria.defaults().withServiceLevelThreshold(256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serviceLevelThreshold must be 0..255 (ServiceLevel is a byte), was 256");
    }

    @Test
    void heartbeatTimeoutZero_isRejected() {
        assertThatThrownBy(() -> new HeartbeatCriterion("ns=2;s=HB", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("heartbeat timeout must be positive, was PT0S");
    }

    @Test
    void blankRoleValue_isRejected() {
        assertThatThrownBy(() -> new RoleCriterion("ns=2;s=Role", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("role activeValue must not be blank");
    }

    @Test
    void blankWatchNode_isRejected() {
        assertThatThrownBy(() -> new HealthCriteria(true, 200, Optional.empty(), Optional.empty(), List.of("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("watch node must not be blank");
    }

    @Test
    void defaultStaleAfter_threeIntervals_atLeastFiveSeconds() {
        assertThat(HealthCriteria.defaultStaleAfter(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(5));
        assertThat(HealthCriteria.defaultStaleAfter(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(5));
        assertThat(HealthCriteria.defaultStaleAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(6));
        assertThat(HealthCriteria.defaultStaleAfter(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void staleAfter_defaultComparesWithThePartnerOnly_configuredAlsoJudgesSilence() {
        assertThat(HealthCriteria.defaults().staleAfter()).isEqualTo(HealthCriteria.DEFAULT_STALE_AFTER);
        assertThat(HealthCriteria.defaults().staleWhenSilent()).isFalse();

        HealthCriteria derived = HealthCriteria.defaults().withDefaultStaleAfter(Duration.ofSeconds(4));
        assertThat(derived.staleAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(derived.staleWhenSilent()).isFalse();

        HealthCriteria configured = HealthCriteria.defaults().withStaleAfter(Duration.ofSeconds(10));
        assertThat(configured.staleAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(configured.staleWhenSilent()).isTrue();
        assertThat(configured.withWatchNodes(List.of("ns=2;s=A")).staleWhenSilent()).isTrue();
    }

    @Test
    void staleAfterZero_isRejected() {
        assertThatThrownBy(() -> HealthCriteria.defaults().withStaleAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("staleAfter must be positive, was PT0S");
    }
}
