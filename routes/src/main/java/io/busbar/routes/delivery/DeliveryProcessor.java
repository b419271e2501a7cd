package io.busbar.routes.delivery;

import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.RetryLaterException;
import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.StageTrace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Hands one buffered batch to its target inside the delivery route's buffer transaction. A
 * transient failure is rethrown: the route retries in place and, failing that, rolls back so the
 * broker keeps the batch. Readings the target refuses for good, and a message that cannot be
 * decoded at all, become {@link DeadLetter}s in the exchange property {@link #DEAD_LETTERS}; the
 * route sends them to the dead-letter queue in the same transaction as the acknowledgement.
 */
public final class DeliveryProcessor implements Processor {

    public static final String DEAD_LETTERS = "busbarDeadLetters";
    private static final String FIRST_FAILURE = "busbarFirstFailureAt";
    /**
     * Upper bounds of the latency histogram: live readings arrive within a publishing interval or
     * two (0.1-5 s), a retried batch within minutes, readings backfilled from history up to hours
     * after their source time.
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4)};

    private final Target target;
    private final Clock clock;
    private final Counter delivered;
    private final Counter failed;
    private final Counter deadLettered;
    private final Timer latency;

    public DeliveryProcessor(Target target, MeterRegistry registry, Clock clock) {
        this.target = target;
        this.clock = clock;
        this.delivered = Counter.builder("busbar.target.delivered").description("Readings the target confirmed")
                .tag("target", target.name()).register(registry);
        this.failed = Counter.builder("busbar.target.failed").description("Delivery attempts of a batch that failed (retried)")
                .tag("target", target.name()).register(registry);
        this.deadLettered = Counter.builder("busbar.target.dead.lettered").description("Readings sent to the dead-letter queue")
                .tag("target", target.name()).register(registry);
        // fixed histogram buckets, not client-side percentiles: buckets add up across instances and
        // targets in PromQL (histogram_quantile over sum by le), quantiles computed here do not
        this.latency = Timer.builder("busbar.target.latency").description("Source time to target confirmation")
                .tag("target", target.name()).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<Reading> batch;
        List<DeadLetter> poison = new ArrayList<>();
        if (Boolean.TRUE.equals(exchange.getMessage().getHeader(MessageBatch.PROPERTY, Boolean.class))) {
            // several buffer messages in one delivery unit: an undecodable one is dead-lettered alone
            List<MessageBatch.Part> parts = MessageBatch.carried(exchange.getMessage());
            if (parts == null) {
                parts = MessageBatch.parts(exchange.getMessage().getMandatoryBody(byte[].class));
            }
            batch = new ArrayList<>();
            for (MessageBatch.Part part : parts) {
                try {
                    batch.addAll(decode(part.codec(), part.body()));
                } catch (RuntimeException e) {
                    poison.add(deadLetter(exchange, part.body(), "poison message: " + e.getMessage(), e));
                }
            }
        } else {
            byte[] body = exchange.getMessage().getMandatoryBody(byte[].class);
            try {
                Integer codec = exchange.getMessage().getHeader(BufferLayout.CODEC_PROPERTY, Integer.class);
                batch = decode(codec == null ? 0 : codec, body);
            } catch (RuntimeException e) {
                batch = List.of();
                poison.add(deadLetter(exchange, body, "poison message: " + e.getMessage(), e));
            }
        }
        if (!poison.isEmpty()) {
            exchange.setProperty(DEAD_LETTERS, poison);
            if (batch.isEmpty()) {
                deadLettered.increment(poison.size());
                return;
            }
        }
        List<Reading> confirmed = batch;
        long start = StageTrace.on() ? System.currentTimeMillis() : 0;
        try {
            target.deliver(batch);
        } catch (RejectedReadingsException e) {
            List<DeadLetter> deadLetters = new ArrayList<>();
            List<Reading> rejected = new ArrayList<>();
            for (RejectedReadingsException.Rejection rejection : e.rejections()) {
                rejected.add(rejection.reading());
                deadLetters.add(deadLetter(exchange, ReadingCodec.toJsonBatch(List.of(rejection.reading())),
                        rejection.reason(), e));
            }
            confirmed = batch.stream().filter(r -> !rejected.contains(r)).toList();
            deadLettered.increment(deadLetters.size());
            deadLetters.addAll(poison);
            exchange.setProperty(DEAD_LETTERS, deadLetters);
        } catch (Exception e) {
            failed.increment();
            if (exchange.getProperty(FIRST_FAILURE) == null) {
                exchange.setProperty(FIRST_FAILURE, clock.instant());
            }
            // a target that says when to come back (HTTP Retry-After) is honoured instead of the back-off
            Optional<Duration> retryAfter = e instanceof RetryLaterException later ? later.retryAfter() : Optional.empty();
            if (retryAfter.isPresent()) {
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, retryAfter.get().toMillis());
            } else {
                exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
            }
            throw e;
        }
        StageTrace.delivered(confirmed, start);
        deadLettered.increment(poison.size());
        delivered.increment(confirmed.size());
        recordLatencies(confirmed, clock.instant());
    }

    /**
     * One latency per reading; computed once per source time, which the readings of a publish
     * share (a Duration per reading was a visible part of the delivery thread in the bench profile).
     */
    private void recordLatencies(List<Reading> confirmed, Instant now) {
        Instant last = null;
        long nanos = 0;
        for (Reading reading : confirmed) {
            Instant at = reading.sourceTime();
            if (!at.equals(last)) {
                last = at;
                nanos = nanosBetween(at, now);
            }
            latency.record(nanos, TimeUnit.NANOSECONDS); // a negative one (a clock ahead of ours) is not counted
        }
    }

    /**
     * {@code to - from} in nanoseconds, capped at what a long holds (292 years): a server clock at its
     * 1601 origin made {@code Duration.toNanos()} throw after the target had confirmed the batch. No
     * Duration per reading: read-backs come node by node, so their times rarely repeat.
     */
    static long nanosBetween(Instant from, Instant to) {
        long seconds = to.getEpochSecond() - from.getEpochSecond();
        if (Math.abs(seconds) >= Long.MAX_VALUE / 1_000_000_000L - 1) {
            return seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return seconds * 1_000_000_000L + (to.getNano() - from.getNano());
    }

    /**
     * A binary chunk (what ingest writes since the binary format), or the JSON batch of an earlier
     * version still in the journal, or a replayed dead letter. JSON batches of the last JSON version
     * keep each reading's bytes, so a per-record target need not encode it again.
     */
    private static List<Reading> decode(int codec, byte[] body) {
        if (ReadingChunkCodec.isChunk(body)) {
            return ReadingChunkCodec.decode(body);
        }
        return codec == ReadingCodec.WIRE_VERSION
                ? ReadingCodec.fromCanonicalJsonBatch(body)
                : ReadingCodec.fromJsonBatch(body);
    }

    private DeadLetter deadLetter(Exchange exchange, byte[] payload, String reason, Exception e) {
        Instant now = clock.instant();
        Instant first = exchange.getProperty(FIRST_FAILURE, now, Instant.class);
        int attempts = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        return new DeadLetter(payload, reason, e.getClass().getName(), attempts, first, now);
    }
}
