package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeIdSummaryTest {

    @Test
    void namesTheFirstFiveAndCountsTheRest() {
        List<String> nodeIds = IntStream.rangeClosed(1, 200).mapToObj(i -> "ns=2;s=M" + i).toList();

        assertThat(NodeIdSummary.of(nodeIds))
                .isEqualTo("ns=2;s=M1, ns=2;s=M2, ns=2;s=M3, ns=2;s=M4, ns=2;s=M5 and 195 more");
    }

    @Test
    void namesAllOfAFewWithoutACount() {
        assertThat(NodeIdSummary.of(List.of("ns=2;s=A", "ns=2;s=B"))).isEqualTo("ns=2;s=A, ns=2;s=B");
        assertThat(NodeIdSummary.of(List.of())).isEmpty();
    }
}
