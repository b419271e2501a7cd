package io.busbar.bootstrap.accounting;

import io.busbar.accounting.AccountingEvent;
import io.busbar.accounting.EventReadings;
import io.busbar.accounting.LiveAccounting;
import io.busbar.bootstrap.config.schema.AccountingConfig;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.plan.SourcePairPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running accounting: one {@link LiveAccounting} per pair with an {@code accounting:} block,
 * fed from the accounting's own durable queue on the readings address (like a target's, so it sees
 * each reading once it is durable and never holds up a target), and the messages that carry its
 * outputs back into the buffer, each addressed to one target ({@link BufferLayout#REPLAY_TO_PROPERTY})
 * so it reaches that target's queue only.
 */
public final class AccountingService implements AutoCloseable {

    /** The accounting's queue on {@link BufferLayout#READINGS_ADDRESS}. */
    public static final String QUEUE = "busbar.accounting";
    /** Readings per output message: far below {@link BufferLayout#MAX_MESSAGE_BYTES}. */
    static final int CHUNK = 400;
    private static final Logger LOG = LoggerFactory.getLogger(AccountingService.class);

    /** One message to send: a reading batch for one target. */
    public record Outgoing(String target, String pair, byte[] body, int count, long oldest) {
    }

    private final AccountingSettings settings;
    private final Map<String, LiveAccounting> pairs = new LinkedHashMap<>();
    private final AtomicLong undecodable = new AtomicLong();

    public AccountingService(AccountingSettings settings, List<SourcePairPlan> plans) {
        this.settings = settings;
        for (SourcePairPlan plan : plans) {
            if (settings.pairs().contains(plan.name())) {
                pairs.put(plan.name(), new LiveAccounting(plan.name(), plan.mapping(),
                        settings.stateDir().resolve(plan.name()), settings.lateData(), settings.totals()));
            }
        }
    }

    /** Without an {@code accounting:} section or a pair to account: no queue, no route. */
    public static AccountingService disabled() {
        return new AccountingService(new AccountingSettings(List.of(), List.of(), List.of(), java.nio.file.Path.of("."),
                AccountingConfig.DEFAULT_LATE_DATA, null), List.of());
    }

    public boolean enabled() {
        return !pairs.isEmpty();
    }

    /** Billing totals are written at moments ({@code accounting.totals}). */
    public boolean writesTotals() {
        return settings.totals() != null;
    }

    public static String queueUri() {
        return "jms:queue:" + BufferLayout.READINGS_ADDRESS + "::" + QUEUE;
    }

    /** The queue's filter: the accounted pairs' own readings, not messages addressed to one target. */
    static String filter(List<String> pairs) {
        return BufferLayout.REPLAY_TO_PROPERTY + " IS NULL AND " + BufferLayout.PAIR_PROPERTY + " IN ("
                + String.join(", ", pairs.stream().map(p -> "'" + p + "'").toList()) + ")";
    }

    /** Creates the durable queue when the broker does not have it yet (an existing one keeps its messages). */
    public void ensureQueue(String brokerUrl) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(brokerUrl);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            if (!session.queueQuery(SimpleString.of(QUEUE)).isExists()) {
                session.createQueue(QueueConfiguration.of(QUEUE).setAddress(BufferLayout.READINGS_ADDRESS)
                        .setRoutingType(RoutingType.MULTICAST).setFilterString(filter(settings.pairs())).setDurable(true));
            }
        }
    }

    /**
     * One buffer message, inside its transaction: settles what the previous message sent, takes the
     * readings, and returns the outputs to send in this same transaction.
     */
    public synchronized List<Outgoing> process(byte[] body, String pair, boolean redelivered) {
        pairs.values().forEach(live -> live.settle(redelivered));
        LiveAccounting live = pairs.get(pair);
        if (live == null) {
            return List.of();
        }
        List<Reading> batch;
        try {
            batch = io.busbar.mappings.wire.ReadingChunkCodec.decodeAny(body); // binary chunks, or JSON of earlier versions
        } catch (RuntimeException e) {
            // the target queues hold the same message and dead-letter it there; here it only costs its registers
            undecodable.incrementAndGet();
            LOG.warn("Accounting of {}: a buffer message is not a reading batch, skipped: {}", pair, e.getMessage());
            return List.of();
        }
        live.accept(batch);
        LiveAccounting.Outputs outputs = live.due();
        if (outputs.isEmpty()) {
            return List.of();
        }
        List<Outgoing> out = new ArrayList<>();
        for (String target : settings.intervalsTo()) {
            chunks(target, pair, outputs.intervals(), out);
        }
        List<Reading> events = outputs.events().stream().map(EventReadings::of).toList();
        for (String target : settings.eventsTo()) {
            chunks(target, pair, events, out);
        }
        if (!outputs.events().isEmpty()) {
            for (AccountingEvent event : outputs.events()) {
                LOG.info("Accounting of {}: {} of group {} {} until {} {}: difference {} {}", pair, event.type().wireName(),
                        event.group(), event.quantity() + '@' + event.length().wireName(), event.end(), event.state(),
                        event.difference(), event.unit());
            }
        }
        return out;
    }

    private static void chunks(String target, String pair, List<Reading> readings, List<Outgoing> out) {
        for (int from = 0; from < readings.size(); from += CHUNK) {
            List<Reading> chunk = readings.subList(from, Math.min(readings.size(), from + CHUNK));
            long oldest = chunk.stream().mapToLong(r -> r.sourceTime().toEpochMilli()).min().orElse(0);
            out.add(new Outgoing(target, pair, ReadingCodec.toJsonBatch(chunk), chunk.size(), oldest));
        }
    }

    public synchronized List<LiveAccounting.Status> status() {
        return pairs.values().stream().map(LiveAccounting::status).toList();
    }

    public long undecodable() {
        return undecodable.get();
    }

    @Override
    public synchronized void close() throws Exception {
        for (LiveAccounting live : pairs.values()) {
            live.close();
        }
    }
}
