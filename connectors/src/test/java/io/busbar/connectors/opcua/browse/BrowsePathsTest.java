package io.busbar.connectors.opcua.browse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BrowsePathsTest {

    @Test
    void escapesSlashesAndBackslashesInsideNames() {
        assertThat(BrowsePaths.escape("Meters")).isEqualTo("Meters");
        assertThat(BrowsePaths.escape("Feeder/1")).isEqualTo("Feeder\\/1");
        assertThat(BrowsePaths.escape("a\\b")).isEqualTo("a\\\\b");
        assertThat(BrowsePaths.child("Objects", "Feeder/1")).isEqualTo("Objects/Feeder\\/1");
    }

    @Test
    void splitsParentAndNameRespectEscapes() {
        String path = "Objects/Feeder\\/1/a\\\\b";
        assertThat(BrowsePaths.split(path)).containsExactly("Objects", "Feeder/1", "a\\b");
        assertThat(BrowsePaths.parent(path)).isEqualTo("Objects/Feeder\\/1");
        assertThat(BrowsePaths.name(path)).isEqualTo("a\\b");
        assertThat(BrowsePaths.parent("Objects")).isEmpty();
        assertThat(BrowsePaths.split("")).isEmpty();
    }

    @Test
    void atOrBelow_onlyAtSegmentBoundaries() {
        assertThat(BrowsePaths.isAtOrBelow("Objects/Meters/M1", "Objects/Meters")).isTrue();
        assertThat(BrowsePaths.isAtOrBelow("Objects/Meters", "Objects/Meters")).isTrue();
        assertThat(BrowsePaths.isAtOrBelow("Objects/MetersX/M1", "Objects/Meters")).isFalse();
        assertThat(BrowsePaths.isAtOrBelow("Objects/Meters\\/x", "Objects/Meters\\")).isFalse();
        assertThat(BrowsePaths.isAtOrBelow("anything", "")).isTrue();
    }

    @Test
    void outermostPrefixes_dropThoseBelowAnother() {
        assertThat(AddressSpaceBrowser.outermost(List.of("Objects/Meters/M1", "Objects/Meters", "Objects/Other", "Objects/Meters")))
                .containsExactly("Objects/Meters", "Objects/Other");
        assertThat(AddressSpaceBrowser.outermost(List.of("", "Objects/Meters"))).containsExactly("Objects");
    }
}
