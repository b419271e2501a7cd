package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpcUaSourceOptionsTest {

    private static final String URL = "opc.tcp://scada-a:4840/busbar";

    @Test
    void defaultsDetectADeadServerWithinThreeSeconds() {
        OpcUaSourceOptions options = OpcUaSourceOptions.builder(URL).build();

        // two keep-alives in a row must fail: the second is sent one interval after the first
        Duration worstCase = options.keepAliveInterval().multipliedBy(2).plus(options.keepAliveTimeout());
        assertThat(worstCase).isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(options.securityPolicy()).isEqualTo(OpcUaSecurityPolicy.NONE);
        assertThat(options.retryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.samplingInterval()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void passwordNeverAppearsInToString() {
        OpcUaSourceOptions options = OpcUaSourceOptions.builder(URL).credentials("operator", "s3cret!").build();

        assertThat(options.toString()).contains("operator").doesNotContain("s3cret!");
    }

    @Test
    void securedPolicyNeedsAPkiDirectory() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpcUaSourceOptions.builder(URL)
                        .securityPolicy(OpcUaSecurityPolicy.BASIC256SHA256).build())
                .withMessageContaining("pkiDirectory");
        assertThat(OpcUaSourceOptions.builder(URL).securityPolicy(OpcUaSecurityPolicy.AES256_SHA256_RSAPSS)
                .pkiDirectory(Path.of("pki")).build().securityPolicy().isSecured()).isTrue();
    }

    @Test
    void invalidValuesAreRejectedWithTheirName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpcUaSourceOptions.builder("http://scada-a").build())
                .withMessageContaining("opc.tcp://");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpcUaSourceOptions.builder(URL).publishingInterval(Duration.ZERO).build())
                .withMessageContaining("publishingInterval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpcUaSourceOptions.builder(URL).credentials("operator", null).build())
                .withMessageContaining("together");
    }

    @Test
    void deadItemBackOffIsCappedAtThirtySecondsOrAtTheFirstDelayWhenThatIsLonger() {
        assertThat(OpcUaSourceOptions.builder(URL).build().maxItemRetryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(OpcUaSourceOptions.builder(URL).itemRetryInterval(Duration.ofMinutes(1)).build().maxItemRetryInterval())
                .isEqualTo(Duration.ofMinutes(1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpcUaSourceOptions.builder(URL)
                        .itemRetryInterval(Duration.ofSeconds(10)).maxItemRetryInterval(Duration.ofSeconds(5)).build())
                .withMessageContaining("maxItemRetryInterval");
    }

    @Test
    void securityPolicyIsParsedFromItsOpcUaName() {
        assertThat(OpcUaSecurityPolicy.fromConfig("None")).isEqualTo(OpcUaSecurityPolicy.NONE);
        assertThat(OpcUaSecurityPolicy.fromConfig("Basic256Sha256")).isEqualTo(OpcUaSecurityPolicy.BASIC256SHA256);
        assertThat(OpcUaSecurityPolicy.fromConfig("Aes256_Sha256_RsaPss"))
                .isEqualTo(OpcUaSecurityPolicy.AES256_SHA256_RSAPSS);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpcUaSecurityPolicy.fromConfig("Basic128Rsa15"))
                .withMessageContaining("Basic256Sha256");
    }
}
