package io.busbar.bootstrap.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.routes.BufferLayout;
import io.busbar.routes.plan.BusbarPlan;
import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readings address pages at its own, lower threshold, and keeps every other setting of busbar.#. */
class EmbeddedBufferPagingTest {

    @TempDir
    Path dir;

    @Test
    void readingsAddressPagesSooner_butKeepsTheDeliverySettingsOfAllBusbarAddresses() throws Exception {
        try (EmbeddedBuffer buffer = new EmbeddedBuffer(dir, new BusbarPlan(List.of(), List.of()))) {
            buffer.start();
            var settings = buffer.broker().getActiveMQServer().getAddressSettingsRepository();

            AddressSettings readings = settings.getMatch(BufferLayout.READINGS_ADDRESS);
            assertThat(readings.getMaxSizeBytes()).isEqualTo(EmbeddedBuffer.READINGS_MAX_SIZE_BYTES);
            assertThat(readings.getMaxDeliveryAttempts()).isEqualTo(-1);
            assertThat(readings.isAutoCreateQueues()).isFalse();
            assertThat(readings.getDeadLetterAddress().toString()).isEqualTo(EmbeddedBuffer.BROKER_DEAD_LETTER_ADDRESS);

            AddressSettings other = settings.getMatch("busbar.dlq.meters");
            assertThat(other.getMaxSizeBytes()).isNotEqualTo(EmbeddedBuffer.READINGS_MAX_SIZE_BYTES);
            assertThat(other.getMaxDeliveryAttempts()).isEqualTo(-1);
        }
    }
}
