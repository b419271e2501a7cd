package io.busbar.routes.delivery;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsMessage;

/**
 * The body the delivery route sees when {@link BatchingListenerContainer} took several buffer
 * messages as one delivery unit: each message's body, in order, with the JSON codec version it
 * carried (0 none). Lives only in memory, inside one delivery transaction; never written to the
 * buffer (a dead letter keeps the body of its own message). The route tells it from a buffer
 * message by the header {@link #PROPERTY}, which only the listener container sets.
 *
 * <pre>MAGIC(0xBB 0x4D) count:int (codec:int length:int bytes)*count</pre>
 */
final class MessageBatch {

    /** Header (JMS property) that marks a delivery batch; set by the listener container only. */
    static final String PROPERTY = "busbarDeliveryBatch";

    private static final byte MAGIC_0 = (byte) 0xBB;
    private static final byte MAGIC_1 = (byte) 0x4D;

    /** One buffer message of the batch. */
    record Part(byte[] body, int codec) {
    }

    /**
     * Implemented by the JMS message the listener container hands to the route: its parts as they
     * were received, so the route need not copy them into an encoded body and out again (two copies
     * of every delivered byte: a twentieth of Busbar's allocation at 10,000 tags × 10 Hz).
     */
    interface Carrier {
        List<Part> parts();
    }

    private MessageBatch() {
    }

    /** The parts the route's message carries as they were received, or null when it is not a {@link Carrier}. */
    static List<Part> carried(Message message) {
        return message instanceof JmsMessage jms && jms.getJmsMessage() instanceof Carrier carrier ? carrier.parts() : null;
    }

    static byte[] encode(List<Part> parts) {
        int size = 2 + 4;
        for (Part part : parts) {
            size += 8 + part.body().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(MAGIC_0).put(MAGIC_1).putInt(parts.size());
        for (Part part : parts) {
            out.putInt(part.codec()).putInt(part.body().length).put(part.body());
        }
        return out.array();
    }

    static List<Part> parts(byte[] batch) {
        if (batch.length < 6 || batch[0] != MAGIC_0 || batch[1] != MAGIC_1) {
            throw new IllegalArgumentException("not a delivery batch");
        }
        ByteBuffer in = ByteBuffer.wrap(batch, 2, batch.length - 2);
        int count = in.getInt();
        List<Part> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int codec = in.getInt();
            byte[] body = new byte[in.getInt()];
            in.get(body);
            parts.add(new Part(body, codec));
        }
        return parts;
    }
}
