package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "ns=2;s=Meter001.Energy",
            "ns=0;i=2267",
            "i=2267",
            "s=Plant A/Feeder 1;Energy",
            "ns=65535;i=4294967295",
            "nsu=urn:plant:a;g=09087e75-8e5e-499b-954f-f2a9603db28a",
            "ns=4;b=AAECAw==",
            "nsu=http://opcfoundation.org/UA/;i=2258"})
    void wellFormedNodeId_isValid(String text) {
        assertThat(NodeIds.isValid(text)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "Meter001.Energy",
            "ns=2;Meter001.Energy",
            "ns=2;s=",
            "ns=x;i=1",
            "ns=2;i=-1",
            "ns=2;i=12a",
            "ns=2;g=not-a-guid",
            "ns=2;b=",
            "ns=2;b=*",
            "x=1",
            "ns=2",
            "nsu=;i=1"})
    void malformedNodeId_isInvalid(String text) {
        assertThat(NodeIds.isValid(text)).isFalse();
    }

    /** Regression: the syntax check let through indexes no OPC UA server can have (UInt16 namespace, UInt32 numeric id). */
    @ParameterizedTest
    @ValueSource(strings = {"ns=65536;i=1", "ns=99999;s=x", "i=4294967296", "ns=1;i=9999999999"})
    void outOfRangeNumber_isInvalid(String text) {
        assertThat(NodeIds.isValid(text)).isFalse();
    }
}
