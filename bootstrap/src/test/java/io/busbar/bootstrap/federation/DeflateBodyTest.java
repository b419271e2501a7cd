package io.busbar.bootstrap.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.support.TestReadings;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.junit.jupiter.api.Test;

/** What the site's bridge deflates the central's divert inflates to the same bytes, properties kept. */
class DeflateBodyTest {

    private static ICoreMessage message(byte[] body) {
        CoreMessage message = new CoreMessage(1, 1024);
        message.getBodyBuffer().writeBytes(body);
        message.putStringProperty(BufferLayout.PAIR_PROPERTY, "north-plant");
        message.putIntProperty(BufferLayout.COUNT_PROPERTY, 25);
        return message;
    }

    @Test
    void batchOfReadings_shrinksOnTheLink_andComesBackIdentical() {
        byte[] json = ReadingCodec.toJsonBatch(TestReadings.batch(25));
        ICoreMessage original = message(json);

        Message onTheLink = new DeflateBody().transform(original);
        byte[] deflated = DeflateBody.Bodies.read(onTheLink.toCore());
        Message atCentral = new InflateBody().transform(onTheLink.toCore().copy());

        assertThat(onTheLink).isNotSameAs(original);
        assertThat(DeflateBody.Bodies.read(original)).as("the site's own copy is untouched").isEqualTo(json);
        assertThat(deflated.length).as("bytes on the link").isLessThan(json.length / 4);
        assertThat(DeflateBody.Bodies.read(atCentral.toCore())).isEqualTo(json);
        assertThat(atCentral.getStringProperty(BufferLayout.PAIR_PROPERTY)).isEqualTo("north-plant");
        assertThat(atCentral.getStringProperty(FederationLayout.ENCODING_PROPERTY)).isNull();
    }

    @Test
    void bodyThatDoesNotShrink_isSentAsItIs() {
        byte[] random = new byte[2048];
        new java.util.Random(7).nextBytes(random);
        ICoreMessage original = message(random);

        assertThat(new DeflateBody().transform(original)).isSameAs(original);
        assertThat(new InflateBody().transform(original)).isSameAs(original);
    }
}
