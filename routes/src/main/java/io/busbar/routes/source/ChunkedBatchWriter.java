package io.busbar.routes.source;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.routes.BufferLayout;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.ConnectionFactoryUtils;

/**
 * Makes the readings of one ingest batch durable as several small buffer messages, sent in one
 * transacted JMS session and committed once: {@link #write} returns only when the commit, and so
 * the journal sync, succeeded, and throws otherwise, with nothing of the batch in the buffer.
 * Inside a JMS transaction on the same factory (the ingest route's, {@link BufferTransaction}) it
 * sends on that transaction's session and leaves the commit to it, so the batch's dead letters sent
 * in the same transaction are committed, or dropped, with the readings.
 *
 * <p>Why chunks: one OPC UA publish of 10,000 readings was one ~4.7 MB message, which Artemis
 * stores and reads as a <em>large message</em> (copied byte by byte, a fifth of Busbar's CPU in the
 * benchmark, and several copies of it on the heap at once). A chunk stays below
 * {@link BufferLayout#MAX_MESSAGE_BYTES}. Why one transaction: one journal sync per publish instead
 * of one per message, and all-or-nothing, so the forward gate (moved only after this returns) still
 * means "every reading of the batch is durable".
 *
 * <p>Each chunk holds the readings of one meter group ({@link BufferLayout#meterGroupOf}) and
 * carries it as its JMS message group, so targets with several consumers keep each meter in order;
 * and the properties the delivery side and health read: the pair (target queue filters), its
 * reading count, its oldest source time and the version of the binary chunk format
 * ({@link ReadingChunkCodec}) it is written in.
 */
public final class ChunkedBatchWriter {

    private static final Logger log = LoggerFactory.getLogger(ChunkedBatchWriter.class);

    /**
     * At most this many readings per buffer message (~100 bytes each in the binary chunk format, so
     * ~200 KB in the benchmark). Fewer, larger messages mean fewer delivery transactions per publish.
     */
    static final int MAX_CHUNK_READINGS = 2_000;

    private final ConnectionFactory connections;
    private final String pair;

    /**
     * @param connections the routes' factory; with Spring's {@code CachingConnectionFactory} (as
     *                    bootstrap wires it) the connection is shared and sessions and producers
     *                    are cached, so a batch costs no connection or session set-up
     */
    public ChunkedBatchWriter(ConnectionFactory connections, String pair) {
        this.connections = connections;
        this.pair = pair;
    }

    /** @return the number of buffer messages the readings were sent as */
    public int write(List<Reading> readings) throws JMSException {
        return write(readings, 0);
    }

    /**
     * @param seq the batch's number in the pair's sequence, kept with every chunk ({@link ForwardLog})
     * @return the number of buffer messages the readings were sent as
     */
    int write(List<Reading> readings, long seq) throws JMSException {
        List<byte[]> bodies = new ArrayList<>();
        List<List<Reading>> chunks = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<List<Reading>> byGroup = byMeterGroup(readings);
        for (int group = 0; group < byGroup.size(); group++) {
            List<Reading> members = byGroup.get(group);
            for (int from = 0; from < members.size(); from += MAX_CHUNK_READINGS) {
                int before = chunks.size();
                encode(members.subList(from, Math.min(members.size(), from + MAX_CHUNK_READINGS)), chunks, bodies);
                for (int i = before; i < chunks.size(); i++) {
                    groups.add(group);
                }
            }
        }
        Session transaction = ConnectionFactoryUtils.getTransactionalSession(connections, null, false);
        if (transaction != null) {
            // the caller's transaction (the ingest route's) commits, together with what else it sent
            send(transaction, chunks, bodies, groups, seq);
            return chunks.size();
        }
        try (Connection connection = connections.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            try {
                send(session, chunks, bodies, groups, seq);
                session.commit();
            } catch (JMSException | RuntimeException e) {
                rollback(session, e);
                throw e;
            }
        }
        return chunks.size();
    }

    private void send(Session session, List<List<Reading>> chunks, List<byte[]> bodies, List<Integer> groups,
                      long seq) throws JMSException {
        try (MessageProducer producer = session.createProducer(session.createTopic(BufferLayout.READINGS_ADDRESS))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < chunks.size(); i++) {
                BytesMessage message = message(session, chunks.get(i), bodies.get(i), seq);
                message.setStringProperty("JMSXGroupID", BufferLayout.meterGroup(pair, groups.get(i)));
                producer.send(message);
            }
        }
    }

    /** The readings by meter group, each group in the batch's order. */
    private static List<List<Reading>> byMeterGroup(List<Reading> readings) {
        List<List<Reading>> groups = new ArrayList<>(BufferLayout.METER_GROUPS);
        for (int i = 0; i < BufferLayout.METER_GROUPS; i++) {
            groups.add(new ArrayList<>());
        }
        for (Reading reading : readings) {
            groups.get(BufferLayout.meterGroupOf(reading.meter())).add(reading);
        }
        return groups;
    }

    /** Halves a chunk whose readings are unusually long until it fits in one small message. */
    private static void encode(List<Reading> chunk, List<List<Reading>> chunks, List<byte[]> bodies) {
        byte[] body = ReadingChunkCodec.encode(chunk);
        if (body.length > BufferLayout.MAX_MESSAGE_BYTES && chunk.size() > 1) {
            int half = chunk.size() / 2;
            encode(chunk.subList(0, half), chunks, bodies);
            encode(chunk.subList(half, chunk.size()), chunks, bodies);
            return;
        }
        chunks.add(chunk);
        bodies.add(body);
    }

    private BytesMessage message(Session session, List<Reading> chunk, byte[] body, long seq) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.setLongProperty(BufferLayout.SEQ_PROPERTY, seq);
        message.writeBytes(body);
        message.setStringProperty(BufferLayout.PAIR_PROPERTY, pair);
        message.setIntProperty(BufferLayout.COUNT_PROPERTY, chunk.size());
        message.setIntProperty(BufferLayout.CHUNK_FORMAT_PROPERTY, ReadingChunkCodec.VERSION);
        long oldest = Long.MAX_VALUE;
        for (Reading reading : chunk) {
            oldest = Math.min(oldest, reading.sourceTime().toEpochMilli());
        }
        message.setLongProperty(BufferLayout.OLDEST_PROPERTY, oldest);
        return message;
    }

    private void rollback(Session session, Exception cause) {
        try {
            session.rollback();
        } catch (JMSException | RuntimeException e) {
            // the broker drops an uncommitted transaction anyway when the session goes; the cause matters
            log.debug("Source pair {}: rollback after a failed send failed too: {}", pair, e.toString());
            cause.addSuppressed(e);
        }
    }
}
