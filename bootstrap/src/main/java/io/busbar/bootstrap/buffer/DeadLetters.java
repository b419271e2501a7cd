package io.busbar.bootstrap.buffer;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeadLetter;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dead-letter queues: one per target (readings it refused for good) and one per source pair,
 * named {@code source:<pair>} (values that could not be mapped, readings the validation rules kept
 * back). Look at them, replay them after a fix, or purge them. Replay and purge work in
 * transactions of {@link #CHUNK} messages, so a crash in the middle loses nothing and duplicates at
 * most one chunk (same reading keys).
 */
public final class DeadLetters {

    static final int CHUNK = 100;
    private static final long RECEIVE_TIMEOUT_MS = 200;
    public static final String SOURCE_PREFIX = "source:";

    private final ConnectionFactory connections;
    private final BufferQueues queues;
    private final Set<String> names;

    /** @param names target names and {@code source:<pair>} names */
    public DeadLetters(ConnectionFactory connections, BufferQueues queues, Set<String> names) {
        this.connections = connections;
        this.queues = queues;
        this.names = names;
    }

    /** The target names and {@code source:<pair>} names that have a dead-letter queue. */
    public Set<String> targets() {
        return names;
    }

    public boolean hasTarget(String name) {
        return names.contains(name);
    }

    public long count(String name) {
        return queues.messageCount(queueOf(name));
    }

    private static String queueOf(String name) {
        return name.startsWith(SOURCE_PREFIX)
                ? BufferLayout.sourceDeadLetterQueue(name.substring(SOURCE_PREFIX.length()))
                : BufferLayout.deadLetterQueue(name);
    }

    /** The first {@code max} dead letters of a target, oldest first, as JSON-ready maps. */
    public List<Map<String, Object>> browse(String target, int max) throws JMSException {
        try (Connection connection = connections.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queueOf(target)));
            List<Map<String, Object>> letters = new ArrayList<>();
            for (Object element : Collections.list(browser.getEnumeration())) {
                if (letters.size() >= max) {
                    break;
                }
                letters.add(view((Message) element));
            }
            return letters;
        }
    }

    /**
     * Sends the dead letters back: a target's to that target's queue, a source pair's readings to
     * every target of the pair. Raw values that could not be mapped cannot be replayed (fix the
     * mapping; the values are still in the servers' history) and stay.
     *
     * @return how many were replayed
     */
    public int replay(String name) throws JMSException {
        boolean source = name.startsWith(SOURCE_PREFIX);
        int[] kept = {0};
        int handled = drain(name, (session, message) -> {
            if (source && !message.getBooleanProperty(BufferLayout.REPLAYABLE_PROPERTY)) {
                MessageProducer back = session.createProducer(session.createQueue(queueOf(name)));
                back.send(message);
                back.close();
                kept[0]++;
                return;
            }
            MessageProducer producer = session.createProducer(session.createTopic(BufferLayout.READINGS_ADDRESS));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            BytesMessage copy = session.createBytesMessage();
            copy.writeBytes(payload(message));
            if (source) {
                copy.setStringProperty(BufferLayout.PAIR_PROPERTY, name.substring(SOURCE_PREFIX.length()));
            } else {
                copy.setStringProperty(BufferLayout.REPLAY_TO_PROPERTY, name);
            }
            producer.send(copy);
            producer.close();
        });
        return handled - kept[0];
    }

    /** Deletes every dead letter of a target; @return how many */
    public int purge(String target) throws JMSException {
        return drain(target, (session, message) -> {
        });
    }

    private interface Handler {
        void handle(Session session, Message message) throws JMSException;
    }

    /** Consumes the messages waiting now, once each (one the handler puts back is not seen again). */
    private int drain(String name, Handler handler) throws JMSException {
        long waiting = count(name);
        int total = 0;
        try (Connection connection = connections.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queueOf(name)));
            while (total < waiting) {
                int inChunk = 0;
                Message message;
                while (inChunk < CHUNK && total + inChunk < waiting
                        && (message = consumer.receive(RECEIVE_TIMEOUT_MS)) != null) {
                    handler.handle(session, message);
                    inChunk++;
                }
                session.commit();
                total += inChunk;
                if (inChunk == 0) {
                    break;
                }
            }
            return total;
        }
    }

    private static Map<String, Object> view(Message message) throws JMSException {
        Map<String, Object> view = new LinkedHashMap<>();
        byte[] payload = payload(message);
        try {
            List<Reading> readings = ReadingChunkCodec.decodeAny(payload);
            view.put("key", readings.isEmpty() ? null : readings.get(0).key());
            view.put("reading", readings.isEmpty() ? null : ReadingCodec.toJson(readings.get(0)));
        } catch (RuntimeException e) {
            view.put("key", null);
            view.put("payload", new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        }
        view.put("reason", message.getStringProperty(DeadLetter.REASON));
        view.put("exception", message.getStringProperty(DeadLetter.EXCEPTION));
        view.put("attempts", message.getObjectProperty(DeadLetter.ATTEMPTS));
        view.put("firstFailure", message.getStringProperty(DeadLetter.FIRST_FAILURE));
        view.put("lastFailure", message.getStringProperty(DeadLetter.LAST_FAILURE));
        return view;
    }

    private static byte[] payload(Message message) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] payload = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(payload);
            return payload;
        }
        return message.getBody(String.class).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
