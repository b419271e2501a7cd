package io.busbar.routes.source;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingOutcome;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.validation.ValidationOutcome;
import io.busbar.mappings.validation.Validator;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.redundancy.ForwardGate;
import io.busbar.routes.StageTrace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps samples of one pair and makes them durable, passing each (node, source time) once: the
 * {@link ForwardGate} is checked before and moved only after the durable sink accepted the batch,
 * so a failed hand-off is backfilled later instead of being skipped.
 *
 * <p>A sample whose (node, time) the gate passed already is dropped before it is mapped: it carries
 * nothing new (an unmappable one among them, older than a forwarded value of its node, is not
 * dead-lettered a second time when a backfill reads it back).
 *
 * <p>A large batch (one OPC UA publish of 10,000 values) is made durable in slices of
 * {@link #SLICE_READINGS}, each committed — and its gate marks moved — before the next is mapped:
 * delivery starts on the first slice while the rest is still being mapped and written, instead of
 * the last reading of a publish waiting for the whole publish (the 1 Hz latency p99 in the bench).
 * A slice the buffer refuses fails the call as a whole batch would; the slices before it stay
 * durable and the gate, which moved for them, drops them when the batch comes again.
 *
 * <p>Not thread-safe: the pair's event loop calls it, which keeps batches in order and the
 * check-then-mark consistent.
 */
final class Forwarder {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    /**
     * Readings per durable hand-off: a quarter of the bench's 10,000-value publish, so delivery of
     * a publish overlaps its ingest, yet each meter group's buffer message still holds ~150 readings
     * and a 10 Hz publish costs 4 journal syncs, not one per message.
     */
    static final int SLICE_READINGS = 2_500;

    /** Makes a batch durable; returns only when it is, throws otherwise. */
    @FunctionalInterface
    public interface DurableSink {
        void accept(IngestBatch batch) throws Exception;
    }

    private final String pair;
    private final Mapping mapping;
    private final DurableSink sink;
    private final ForwardGate gate;
    private final Validator validator;
    private final Counter forwarded;
    private final Counter unmappable;
    private final Counter sinkFailures;
    private final int sliceReadings;
    /** Each unmappable node is logged once, then only counted: a broken tag must not flood the log. */
    private final Set<String> reportedUnmappable = ConcurrentHashMap.newKeySet();
    /** The sequence number of the last accepted batch; also tells the watermark saver there is something new. */
    private volatile long version;
    /** Numbers every slice built, accepted or not, for {@link ForwardGate.Mark#hold}. */
    private long attempts;

    Forwarder(String pair, Mapping mapping, DurableSink sink, ForwardGate gate, Validator validator,
              MeterRegistry registry) {
        this(pair, mapping, sink, gate, validator, registry, SLICE_READINGS);
    }

    Forwarder(String pair, Mapping mapping, DurableSink sink, ForwardGate gate, Validator validator,
              MeterRegistry registry, int sliceReadings) {
        this.sliceReadings = sliceReadings;
        this.pair = pair;
        this.mapping = mapping;
        this.sink = sink;
        this.gate = gate;
        this.validator = validator;
        this.forwarded = Counter.builder("busbar.source.forwarded").description("Readings made durable")
                .tag("pair", pair).register(registry);
        this.unmappable = Counter.builder("busbar.source.unmappable").description("Samples that could not be mapped")
                .tag("pair", pair).register(registry);
        this.sinkFailures = Counter.builder("busbar.source.buffer.failures")
                .description("Batches the buffer did not accept").tag("pair", pair).register(registry);
    }

    /** The sequence number of the last batch made durable (see {@link IngestBatch#seq}). */
    long version() {
        return version;
    }

    /** Continues the sequence after a restart, from the last batch known to be durable. */
    void resumeAfter(long seq) {
        version = Math.max(version, seq);
    }

    /** Thrown when the buffer did not take a batch: the gate did not move, the gap must be backfilled. */
    static final class BufferRefusedException extends RuntimeException {
        BufferRefusedException(Throwable cause) {
            super("the buffer did not accept the batch: " + cause, cause);
        }
    }

    /**
     * Whether the gate has passed the sample's (node, time) already: such a sample is not mapped at
     * all. A backfill after a failover reads every node's overlap (5 s) back from history and nearly
     * all of it was forwarded before; mapping it only to drop it at the gate took most of the
     * failover's time at 10,000 tags (bench, 2026-12-04). The time is the one {@link Mapping#map}
     * keys the reading by: the source time, else the server time.
     */
    private static Instant keyTime(RawSample sample) {
        return sample.sourceTime() != null ? sample.sourceTime() : sample.serverTime();
    }

    /**
     * @return the number of readings made durable; 0 when none was new
     * @throws BufferRefusedException when the buffer did not accept them (or the rest of them, after
     *                                slices that it did accept)
     */
    int forward(ServerRole server, List<RawSample> samples) {
        Slice slice = new Slice(Math.min(samples.size(), sliceReadings));
        int made = 0;
        for (RawSample sample : samples) {
            Instant at = keyTime(sample); // the time Mapping#map keys the reading by
            ForwardGate.Mark mark = at == null ? null : gate.find(sample.nodeId());
            if (mark != null && mark.passed(at)) {
                continue;
            }
            MappingOutcome outcome = mapping.map(server, sample);
            if (outcome instanceof MappingOutcome.Mapped) {
                if (mark == null) {
                    mark = gate.mark(sample.nodeId()); // a mapped node's first value
                }
                if (mark.hold(at, slice.number)) { // else the slice holds this time or a later one of the node
                    slice.held.add(mark);
                    ValidationOutcome checked = validator.validate((MappingOutcome.Mapped) outcome);
                    if (checked instanceof ValidationOutcome.DeadLetter rejected) {
                        slice.deadLetters.add(new IngestBatch.SourceDeadLetter(
                                ReadingCodec.toJsonBatch(List.of(rejected.reading())), rejected.reason(), true));
                    } else {
                        slice.readings.add(checked.reading());
                        if (slice.readings.size() >= sliceReadings) {
                            made += makeDurable(server, slice);
                            slice = new Slice(Math.min(samples.size(), sliceReadings));
                        }
                    }
                }
            } else if (outcome instanceof MappingOutcome.Unmappable bad) {
                unmappable.increment();
                slice.deadLetters.add(new IngestBatch.SourceDeadLetter(RawSamples.toJson(server, sample), bad.reason(), false));
                if (reportedUnmappable.add(sample.nodeId())) {
                    log.warn("Source pair {}: {} from the {} server cannot be mapped: {} (dead-lettered; further ones"
                            + " are only counted in busbar_source_unmappable_total)", pair, sample.nodeId(),
                            server.wireName(), bad.reason());
                }
            }
        }
        return slice.readings.isEmpty() && slice.deadLetters.isEmpty() ? made : made + makeDurable(server, slice);
    }

    /** What is mapped since the last hand-off, and the nodes' marks it holds a time in. */
    private final class Slice {
        /** Numbers every slice built, accepted or not, for {@link ForwardGate.Mark#hold}. */
        final long number = ++attempts;
        final List<Reading> readings;
        final List<IngestBatch.SourceDeadLetter> deadLetters = new ArrayList<>();
        /** Committed once the sink accepted the slice. */
        final List<ForwardGate.Mark> held;

        Slice(int expected) {
            readings = new ArrayList<>(expected);
            held = new ArrayList<>(expected);
        }
    }

    /** Hands the slice to the sink; its marks move only when the sink accepted it. */
    private int makeDurable(ServerRole server, Slice slice) {
        List<Reading> readings = slice.readings;
        try {
            sink.accept(new IngestBatch(readings, slice.deadLetters, version + 1));
        } catch (Exception e) {
            sinkFailures.increment();
            if (e instanceof io.busbar.routes.BufferCapacity.BufferFullException) {
                // said once, with the sizes, when the buffer filled up; each retry would repeat it every second
                log.debug("Source pair {}: buffer full, {} reading(s) wait for the backfill", pair, readings.size());
            } else {
                log.error("Source pair {}: the buffer did not accept {} reading(s); they will be backfilled: {}",
                        pair, readings.size(), e.toString());
            }
            throw new BufferRefusedException(e);
        }
        StageTrace.durable(server, readings);
        slice.held.forEach(ForwardGate.Mark::commit);
        version++;
        forwarded.increment(readings.size());
        return readings.size();
    }
}
