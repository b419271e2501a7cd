package io.busbar.routes.source;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.routes.BufferLayout;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.springframework.jms.connection.SingleConnectionFactory;

/**
 * The {@link ForwardLog} of a pair as its queue {@link BufferLayout#forwardLogQueue} in the buffer.
 * It keeps one connection of its own: a caching factory (Spring's, as the routes use) would keep a
 * consumer per selector open, each holding log messages the next trim could not see.
 */
final class JmsForwardLog implements ForwardLog, AutoCloseable {

    private final ConnectionFactory connections;
    private final String queue;
    private Connection connection;

    JmsForwardLog(ConnectionFactory connections, String pair) {
        this.connections = connections instanceof SingleConnectionFactory caching
                && caching.getTargetConnectionFactory() != null ? caching.getTargetConnectionFactory() : connections;
        this.queue = BufferLayout.READINGS_ADDRESS + "::" + BufferLayout.forwardLogQueue(pair);
    }

    private synchronized Connection connection() throws JMSException {
        if (connection == null) {
            connection = connections.createConnection();
            connection.start();
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException e) {
                // closing a broken connection
            }
            connection = null;
        }
    }

    @Override
    public synchronized Recovered recover(long seq) throws JMSException {
        List<Reading> readings = new ArrayList<>();
        long last = seq;
        try (Session session = connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(queue),
                     BufferLayout.SEQ_PROPERTY + " > " + seq)) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                Message message = (Message) messages.nextElement();
                last = Math.max(last, message.getLongProperty(BufferLayout.SEQ_PROPERTY));
                readings.addAll(ReadingChunkCodec.decodeAny(body((BytesMessage) message)));
            }
        } catch (JMSException | RuntimeException e) {
            close(); // the connection may be broken: the next call opens a new one
            throw e;
        }
        return new Recovered(readings, last);
    }

    @Override
    public synchronized void trim(long seq) throws JMSException {
        try (Session session = connection().createSession(true, Session.SESSION_TRANSACTED);
             MessageConsumer consumer = session.createConsumer(session.createQueue(queue),
                     BufferLayout.SEQ_PROPERTY + " <= " + seq)) {
            while (consumer.receiveNoWait() != null) {
                // consumed: the saved watermarks cover it
            }
            session.commit();
        } catch (JMSException | RuntimeException e) {
            close(); // the connection may be broken: the next call opens a new one
            throw e;
        }
    }

    private static byte[] body(BytesMessage message) throws JMSException {
        byte[] body = new byte[(int) message.getBodyLength()];
        message.readBytes(body);
        return body;
    }
}
