package io.busbar.connectors.target.kafka;

import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.EncodedReadings;
import io.busbar.mappings.wire.ReadingJsonWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes each reading as one Kafka record: key = meter id (per-meter order on one partition),
 * value = the reading in the JSON wire format.
 *
 * <p>Delivery semantics: the producer is idempotent with {@code acks=all}; a batch counts as
 * delivered when every record of it is acknowledged. The whole batch is sent before waiting, so a
 * batch costs one round trip, not one per reading. After a crash a batch may be published again;
 * consumers deduplicate by the reading {@code key}.
 *
 * <p>Drives kafka-clients directly rather than through a Camel endpoint because the delivery route
 * needs exactly this "all acknowledged, or throw" answer inside its buffer transaction.
 */
public final class KafkaTarget implements Target {

    static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_LINGER_MS = 5;
    /**
     * The producer's record accumulator, on the heap. Kafka's default (32 MB) was an eighth of a
     * 256 MB heap on its own; a delivery batch is at most one buffer message (~500 readings,
     * &lt; 0.5 MB), and deliver() waits for it, so this leaves ample room.
     */
    static final long BUFFER_MEMORY_BYTES = 16L * 1024 * 1024;
    /** Per-partition batch: the default 16 KiB holds ~35 readings, too few requests' worth for 50,000/s. */
    static final int BATCH_SIZE_BYTES = 128 * 1024;

    private final KafkaTargetSettings settings;
    private final KafkaTopic topic;
    private KafkaProducer<String, byte[]> producer;

    public KafkaTarget(KafkaTargetSettings settings) {
        this.settings = settings;
        this.topic = new KafkaTopic(settings.topic());
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public synchronized void start() {
        producer = new KafkaProducer<>(producerProperties(settings), new StringSerializer(), new ByteArraySerializer());
    }

    /** Busbar's producer settings, then the target's own properties (the reserved ones never get here). */
    static Properties producerProperties(KafkaTargetSettings settings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_MEMORY_BYTES);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE_BYTES);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DEFAULT_DELIVERY_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) DEFAULT_DELIVERY_TIMEOUT.toMillis() / 2);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEFAULT_DELIVERY_TIMEOUT.toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "busbar-" + settings.name());
        props.putAll(settings.properties()); // TLS, SASL, tuning; the reserved ones are refused by the config
        return props;
    }

    @Override
    public void deliver(List<Reading> batch) throws Exception {
        KafkaProducer<String, byte[]> current = producer;
        if (current == null) {
            throw new IllegalStateException("kafka target " + name() + " is not started");
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        // the bytes are exactly ReadingCodec.toJson's, as UTF-8: those the batch was read from when
        // it kept them, else written directly (no Jackson generator per field: ReadingJsonWriterTest)
        EncodedReadings encoded = batch instanceof EncodedReadings readings ? readings : null;
        try (ReadingJsonWriter encoder = new ReadingJsonWriter()) {
            for (int i = 0; i < batch.size(); i++) {
                Reading reading = batch.get(i);
                byte[] value = encoded != null ? encoded.json(i) : encoder.encode(reading);
                acks.add(current.send(new ProducerRecord<>(topic.of(reading), reading.meter(), value)));
            }
        }
        current.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
