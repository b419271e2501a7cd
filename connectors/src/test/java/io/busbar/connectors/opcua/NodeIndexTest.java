package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeIndexTest {

    @Test
    void findsEveryKeyAtItsPosition_andNoOther() {
        String[] keys = IntStream.range(0, 5_000).mapToObj(i -> "ns=2;s=Meter" + i + ".Energy").toArray(String[]::new);
        NodeIndex index = new NodeIndex(keys);
        for (int i = 0; i < keys.length; i++) {
            assertThat(index.indexOf(new String(keys[i]))).isEqualTo(i);
        }
        assertThat(index.indexOf("ns=2;s=Meter5000.Energy")).isEqualTo(-1);
        assertThat(index.indexOf("")).isEqualTo(-1);
    }

    @Test
    void collidingHashes_andTinyLists() {
        // "Aa" and "BB" have the same hashCode
        NodeIndex index = new NodeIndex(new String[] {"Aa", "BB", "AaBB", "BBAa"});
        assertThat(index.indexOf("BB")).isEqualTo(1);
        assertThat(index.indexOf("BBAa")).isEqualTo(3);
        assertThat(new NodeIndex(new String[] {"x"}).indexOf("x")).isZero();
        assertThat(new NodeIndex(new String[0]).indexOf("x")).isEqualTo(-1);
    }
}
