package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.SampleColumns;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A source's slot is taken when it names the same node, else the node is looked up; unknown nodes have none. */
class NodeSlotsTest {

    private final NodeSlots slots = new NodeSlots(List.of("ns=2;s=A", "ns=2;s=B", "ns=2;s=A", "ns=2;s=C"));

    @Test
    void aHintThatNamesTheNode_isItsSlot() {
        assertThat(slots.slotOf("ns=2;s=B", 1)).isEqualTo(1);
        assertThat(slots.slotOf(new String("ns=2;s=C"), 3)).as("an equal string, not the same").isEqualTo(3);
    }

    @Test
    void aWrongMissingOrOutOfRangeHint_isLookedUp_aNodeListedTwiceAtItsFirstPlace() {
        assertThat(slots.slotOf("ns=2;s=B", 0)).isEqualTo(1);
        assertThat(slots.slotOf("ns=2;s=C", SampleColumns.NO_SLOT)).isEqualTo(3);
        assertThat(slots.slotOf("ns=2;s=C", 99)).isEqualTo(3);
        assertThat(slots.slotOf("ns=2;s=A", SampleColumns.NO_SLOT)).isEqualTo(0);
        assertThat(slots.slotOf("ns=2;s=Other", 1)).isEqualTo(-1);
        assertThat(slots.size()).isEqualTo(4);
        assertThat(slots.nodeId(3)).isEqualTo("ns=2;s=C");
    }
}
