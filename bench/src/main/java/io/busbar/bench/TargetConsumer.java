package io.busbar.bench;

import io.busbar.support.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The measuring point at the target: reads every partition of the readings topic from the start
 * and feeds each record to a {@link ReadingTracker}. The topic stamps records with the broker's
 * append time (LogAppendTime), so latency = when the target acknowledged − source time, whatever
 * this consumer's own lag. Runs on its own thread inside the driver; {@link #main} runs it alone.
 */
final class TargetConsumer implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReadingTracker tracker;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    TargetConsumer(String brokers, String topic, ReadingTracker tracker) {
        this.tracker = tracker;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-target-consumer");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = DaemonThreads.named("bench-target-consumer").newThread(this::run);
    }

    void start() {
        thread.start();
    }

    Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    tracker.record(record.value(), record.timestamp(), now);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }

    /** {@code TargetConsumer --brokers 127.0.0.1:9092 --topic busbar.readings --tags 10000 --seconds 60}: counts on its own. */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        long start = System.currentTimeMillis();
        ReadingTracker tracker = new ReadingTracker(start, args.getLong("granularity-ms", 100), args.getInt("tags", 10_000));
        try (TargetConsumer consumer = new TargetConsumer(args.get("brokers", "127.0.0.1:9092"),
                args.get("topic", "busbar.readings"), tracker)) {
            consumer.start();
            long seconds = args.getLong("seconds", 60);
            for (long s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                long now = System.currentTimeMillis();
                ReadingTracker.Window w = tracker.window(now - 1000, now);
                System.out.printf("t=%ds readings=%d p50=%dms p99=%dms dup=%d%n", s + 1, w.count,
                        w.latency.percentile(0.5), w.latency.percentile(0.99), w.duplicates);
            }
        }
    }
}
