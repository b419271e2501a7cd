package io.busbar.routes.delivery;

import io.busbar.routes.BufferLayout;
import io.busbar.routes.StageTrace;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;

/**
 * The delivery route's JMS consumer, taking the buffer messages that are already waiting as one
 * delivery unit: after the first message it receives, without waiting, the next ones until
 * {@link #MAX_READINGS} readings, and hands them to the route as one message whose body is a
 * {@link MessageBatch}. The listener container's transaction spans every message it received, so
 * they are acknowledged together after the target confirmed them all, or all stay in the buffer.
 *
 * <p>Why: a publish of 10,000 readings is 16 buffer messages (one per meter group); one delivery
 * transaction each meant 16 target round trips (a Kafka flush and acknowledgement) and 16 synced
 * commits one after the other, which on a busy machine is what made the latency p99 seconds long.
 *
 * <p>Per-meter order holds: the messages of one consumer come in queue order (the broker gives a
 * meter group to one consumer at a time) and a batch keeps that order. A single waiting message is
 * passed on as it is.
 */
final class BatchingListenerContainer extends DefaultJmsMessageListenerContainer {

    /** At most this many readings per delivery unit (~1 MB of binary chunks, ~5 MB as Kafka JSON). */
    static final int MAX_READINGS = 10_000;

    BatchingListenerContainer(JmsEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected Message receiveMessage(MessageConsumer consumer) throws JMSException {
        Message first = super.receiveMessage(consumer);
        if (!(first instanceof BytesMessage firstBytes)) {
            return first;
        }
        List<MessageBatch.Part> parts = new ArrayList<>();
        parts.add(part(firstBytes));
        int readings = count(first);
        while (readings < MAX_READINGS) {
            Message next = consumer.receiveNoWait();
            if (next == null) {
                break;
            }
            parts.add(part(next));
            readings += count(next);
        }
        StageTrace.taken(parts.size(), readings);
        if (parts.size() == 1) {
            firstBytes.reset();
            return first;
        }
        return (BytesMessage) Proxy.newProxyInstance(BatchingListenerContainer.class.getClassLoader(),
                new Class<?>[] {BytesMessage.class, MessageBatch.Carrier.class}, new BatchBody(firstBytes, parts));
    }

    /**
     * A message's body and JSON codec version (0 when it has none). Anything but a bytes message
     * (never written to a target queue) joins with an empty body and is dead-lettered as undecodable.
     */
    private static MessageBatch.Part part(Message message) throws JMSException {
        byte[] body = new byte[0];
        if (message instanceof BytesMessage bytes) {
            body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
        }
        return new MessageBatch.Part(body,
                message.propertyExists(BufferLayout.CODEC_PROPERTY) ? message.getIntProperty(BufferLayout.CODEC_PROPERTY) : 0);
    }

    private static int count(Message message) throws JMSException {
        return message.propertyExists(BufferLayout.COUNT_PROPERTY) ? message.getIntProperty(BufferLayout.COUNT_PROPERTY) : 1;
    }

    /**
     * The first message, with the batch as its body: its parts for the delivery route
     * ({@link MessageBatch.Carrier}), encoded as a {@link MessageBatch} only for a reader of the bytes.
     */
    private static final class BatchBody implements InvocationHandler {
        private final BytesMessage first;
        private final List<MessageBatch.Part> parts;
        private byte[] encoded;
        private int read;

        BatchBody(BytesMessage first, List<MessageBatch.Part> parts) {
            this.first = first;
            this.parts = parts;
        }

        private byte[] body() {
            if (encoded == null) {
                encoded = MessageBatch.encode(parts);
            }
            return encoded;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == MessageBatch.Carrier.class) {
                return parts;
            }
            switch (method.getName()) {
                case "getBodyLength":
                    return (long) body().length;
                case "reset":
                    read = 0;
                    return null;
                case "readBytes":
                    byte[] into = (byte[]) args[0];
                    byte[] body = body();
                    int length = args.length > 1 ? (Integer) args[1] : into.length;
                    int n = Math.min(length, body.length - read);
                    if (n <= 0) {
                        return -1;
                    }
                    System.arraycopy(body, read, into, 0, n);
                    read += n;
                    return n;
                case "getBody":
                    return body().clone();
                case "propertyExists":
                    return MessageBatch.PROPERTY.equals(args[0]) || first.propertyExists((String) args[0]);
                case "getObjectProperty":
                case "getBooleanProperty":
                    if (MessageBatch.PROPERTY.equals(args[0])) {
                        return Boolean.TRUE;
                    }
                    break;
                case "getPropertyNames":
                    List<Object> names = new ArrayList<>(java.util.Collections.list(first.getPropertyNames()));
                    names.add(MessageBatch.PROPERTY);
                    return java.util.Collections.enumeration(names);
                case "toString":
                    return "MessageBatch[" + parts.size() + " messages, first " + first + "]";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    if (method.getName().startsWith("write") || method.getName().startsWith("read")) {
                        throw new UnsupportedOperationException(method.getName() + " on a delivery batch");
                    }
            }
            try {
                return method.invoke(first, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
