package io.busbar.routes.delivery;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

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

    private MessageBatch() {
    }

    static byte[] encode(List<byte[]> bodies, List<Integer> codecs) {
        int size = 2 + 4;
        for (byte[] body : bodies) {
            size += 8 + body.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(MAGIC_0).put(MAGIC_1).putInt(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            out.putInt(codecs.get(i)).putInt(bodies.get(i).length).put(bodies.get(i));
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
