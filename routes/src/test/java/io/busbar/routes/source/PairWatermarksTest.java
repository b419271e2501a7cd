package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PairWatermarksTest {

    @Test
    void theSavePeriodGrowsWithTheNodesBeyondTheShortest_upToTwoSeconds() {
        assertThat(PairWatermarks.savePeriodMs(20, 500)).isEqualTo(500);
        assertThat(PairWatermarks.savePeriodMs(2_500, 500)).isEqualTo(500);
        assertThat(PairWatermarks.savePeriodMs(5_000, 500)).isEqualTo(1_000);
        assertThat(PairWatermarks.savePeriodMs(10_000, 500)).isEqualTo(2_000);
        assertThat(PairWatermarks.savePeriodMs(100_000, 500)).isEqualTo(2_000);
    }

    @Test
    void aSmallPairSavesEveryTwoSeconds_notAtEveryPublish() {
        // 20 meters, 40 nodes, one publish a second: a save at 0.5 s synced the file at every publish
        assertThat(PairWatermarks.savePeriodMs(40, SourcePairRuntime.WATERMARK_SAVE_PERIOD_MS)).isEqualTo(2_000);
    }
}
