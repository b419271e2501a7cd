package io.busbar.routes.delivery;

import io.busbar.connectors.target.Target;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.plan.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.jms.ConsumerType;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code deliver-<target>}: consumes the target's durable queue in a local JMS transaction and
 * acknowledges a batch only after the target confirmed it. The buffer messages already waiting
 * (up to {@link BatchingListenerContainer#MAX_READINGS} readings) are taken as one delivery unit, so
 * a publish costs one target round trip and one commit, not one per buffer message. Dead letters are sent to the target's
 * dead-letter queue in that same transaction, so a reading is either delivered, dead-lettered, or
 * still in the buffer — never lost in between. By default one consumer per target; with a
 * parallelism above 1 several, and the broker's message groups (one per meter group) keep each
 * meter's readings in order. Targets never wait for each other because each has its own queue.
 */
public final class DeliveryRoute extends RouteBuilder {

    /** Delivery routes start before, and so stop after, the ingest routes. */
    public static final int STARTUP_ORDER_BASE = 100;

    private final Target target;
    private final MeterRegistry registry;
    private final int startupOrder;
    private final RetryPolicy retry;
    private final int parallelism;

    public DeliveryRoute(Target target, MeterRegistry registry, int index, RetryPolicy retry) {
        this(target, registry, index, retry, 1);
    }

    /**
     * @param parallelism consumers of the target's queue; the broker gives each meter group to one
     *                    of them at a time ({@link BufferLayout#meterGroup}), so each meter stays in order
     */
    public DeliveryRoute(Target target, MeterRegistry registry, int index, RetryPolicy retry, int parallelism) {
        this.parallelism = parallelism;
        this.target = target;
        this.registry = registry;
        this.startupOrder = STARTUP_ORDER_BASE + index;
        this.retry = retry;
    }

    public static String routeId(String target) {
        return "deliver-" + target;
    }

    @Override
    public void configure() {
        // Retries happen here, in process, so the failing batch blocks its queue and per-meter order
        // holds; the JMS transaction stays open meanwhile. On shutdown retrying stops, the
        // transaction rolls back and the batch waits in the journal.
        errorHandler(defaultErrorHandler()
                .maximumRedeliveries(-1)
                .redeliveryDelay(retry.initial().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.max().toMillis())
                .useCollisionAvoidance()
                .collisionAvoidancePercent(retry.jitter() * 100)
                .allowRedeliveryWhileStopping(false)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logRetryAttempted(true)
                .logStackTrace(false));
        JmsEndpoint queue = getContext().getEndpoint(BufferLayout.targetQueueUri(target.name())
                + "?transacted=true&concurrentConsumers=" + parallelism + "&maxConcurrentConsumers=" + parallelism
                + "&cacheLevelName=CACHE_CONSUMER", JmsEndpoint.class);
        if (!target.batchIsItsIdentity()) {
            // the messages already waiting are delivered as one unit, in one transaction
            queue.getConfiguration().setConsumerType(ConsumerType.Custom);
            queue.setMessageListenerContainerFactory(BatchingListenerContainer::new);
        }
        from(queue)
                .routeId(routeId(target.name()))
                .startupOrder(startupOrder)
                // bodies are byte arrays, never streams; caching would read a delivery batch's bytes
                // before the processor takes its parts without them (MessageBatch.Carrier)
                .streamCache("false")
                .process(new DeliveryProcessor(target, registry, Clock.systemUTC()))
                .filter(exchangeProperty(DeliveryProcessor.DEAD_LETTERS).isNotNull())
                    .split(exchangeProperty(DeliveryProcessor.DEAD_LETTERS))
                        .process(exchange -> {
                            DeadLetter letter = exchange.getMessage().getBody(DeadLetter.class);
                            var message = exchange.getMessage();
                            message.removeHeaders("*");
                            message.setBody(letter.payload());
                            message.setHeader(DeadLetter.TARGET, target.name());
                            message.setHeader(DeadLetter.REASON, letter.reason());
                            message.setHeader(DeadLetter.EXCEPTION, letter.exception());
                            message.setHeader(DeadLetter.ATTEMPTS, letter.attempts());
                            message.setHeader(DeadLetter.FIRST_FAILURE, letter.firstFailure().toString());
                            message.setHeader(DeadLetter.LAST_FAILURE, letter.lastFailure().toString());
                        })
                        .log(LoggingLevel.WARN, "Target " + target.name() + ": dead-lettered a reading: ${header."
                                + DeadLetter.REASON + "}")
                        .to("jms:queue:" + BufferLayout.deadLetterQueue(target.name()) + "?deliveryPersistent=true")
                    .end()
                .end();
    }
}
