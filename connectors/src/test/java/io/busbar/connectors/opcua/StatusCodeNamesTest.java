package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.junit.jupiter.api.Test;

class StatusCodeNamesTest {

    @Test
    void statusCodesAreNamed() {
        assertThat(StatusCodeNames.describe(StatusCodes.Bad_NodeIdUnknown)).isEqualTo("Bad_NodeIdUnknown");
        assertThat(StatusCodeNames.describe(0x12345678L)).isEqualTo("0x12345678");
    }

    @Test
    void failureIsOneLineWithStatusAndRootCause() {
        Throwable refused = new CompletionException(
                new UaException(StatusCodes.Bad_ConnectionRejected, new ConnectException("Connection refused")));

        assertThat(StatusCodeNames.describe(refused)).isEqualTo("Bad_ConnectionRejected: Connection refused");
    }

    @Test
    void miloGeneratedMessagesAreNotRepeatedButOwnMessagesAreKept() {
        assertThat(StatusCodeNames.describe(new UaException(StatusCodes.Bad_UserAccessDenied)))
                .isEqualTo("Bad_UserAccessDenied");
        assertThat(StatusCodeNames.describe(new UaException(StatusCodes.Bad_ConfigurationError, "no endpoint")))
                .isEqualTo("Bad_ConfigurationError: no endpoint");
    }
}
