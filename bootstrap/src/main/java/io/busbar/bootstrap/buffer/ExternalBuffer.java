package io.busbar.bootstrap.buffer;

import io.busbar.routes.BufferLayout;
import io.busbar.routes.plan.BusbarPlan;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external ActiveMQ Artemis broker, or an HA pair or cluster of them ({@code buffer.url}), used
 * through the same code path as the embedded one. At start Busbar creates the addresses and
 * queues it needs when they are missing; queue depths come from the broker's management address.
 * The broker's own settings decide durability and limits (see README: external buffer).
 */
public final class ExternalBuffer implements BufferQueues, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExternalBuffer.class);
    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private final String url;
    private final BusbarPlan plan;
    private ServerLocator locator;
    private ClientSessionFactory sessions;

    public ExternalBuffer(String url, BusbarPlan plan) {
        this.url = url;
        this.plan = plan;
    }

    public String url() {
        return url;
    }

    public void start() throws Exception {
        locator = ActiveMQClient.createServerLocator(url);
        sessions = locator.createSessionFactory();
        try (ClientSession session = sessions.createSession()) {
            ensureAddress(session, BufferLayout.READINGS_ADDRESS, RoutingType.MULTICAST);
            for (QueueConfiguration queue : BufferTopology.targetQueues(plan)) {
                ensureQueue(session, queue);
            }
            for (QueueConfiguration queue : BufferTopology.deadLetterQueues(plan)) {
                ensureAddress(session, queue.getAddress().toString(), RoutingType.ANYCAST);
                ensureQueue(session, queue);
            }
        }
        log.info("Using the external buffer at {}", url);
    }

    private static void ensureAddress(ClientSession session, String address, RoutingType type) throws Exception {
        if (!session.addressQuery(SimpleString.of(address)).isExists()) {
            session.createAddress(SimpleString.of(address), EnumSet.of(type), false);
        }
    }

    private static void ensureQueue(ClientSession session, QueueConfiguration queue) throws Exception {
        ClientSession.QueueQuery existing = session.queueQuery(queue.getName());
        if (!existing.isExists()) {
            session.createQueue(queue);
            return;
        }
        String wanted = queue.getFilterString() == null ? null : queue.getFilterString().toString();
        String actual = existing.getFilterString() == null ? null : existing.getFilterString().toString();
        if (wanted != null && !wanted.equals(actual)) {
            log.warn("Queue {} on the external buffer has the filter '{}', this configuration needs '{}'; change it on"
                    + " the broker (an existing queue is never dropped, it may hold undelivered readings)",
                    queue.getName(), actual, wanted);
        }
    }

    @Override
    public long messageCount(String queue) {
        Object count = management(ResourceNames.QUEUE + queue, "messageCount");
        return count instanceof Number number ? number.longValue() : 0;
    }

    @Override
    public long messagesAcknowledged(String queue) {
        Object count = management(ResourceNames.QUEUE + queue, "messagesAcknowledged");
        return count instanceof Number number ? number.longValue() : 0;
    }

    /** Not read from an external broker (its management API has no cheap peek); empty. */
    @Override
    public Optional<Instant> firstMessageTime(String queue, String property) {
        return Optional.empty();
    }

    private Object management(String resource, String attribute) {
        try (ClientSession session = sessions.createSession();
             ClientRequestor requestor = new ClientRequestor(session, MANAGEMENT_ADDRESS)) {
            session.start();
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putAttribute(request, resource, attribute);
            ClientMessage reply = requestor.request(request, 5_000);
            return reply == null ? null : ManagementHelper.getResult(reply);
        } catch (Exception e) {
            log.debug("Management query {} {} failed: {}", resource, attribute, e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        if (sessions != null) {
            sessions.close();
        }
        if (locator != null) {
            locator.close();
        }
    }
}
