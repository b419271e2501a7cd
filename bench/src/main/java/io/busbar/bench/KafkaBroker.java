package io.busbar.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka 3.9 broker in KRaft mode (process.roles=broker,controller) as its own process:
 * {@code kafka.tools.StorageTool format}, then {@code kafka.Kafka server.properties}. It can be
 * killed with kill -9 and started again on the same log directory, as a target outage.
 */
final class KafkaBroker {

    private final Path dir;
    private final Path logDir;
    private final String classpath;
    private final int port;
    private final int controllerPort;
    private JavaProcess process;
    private int starts;

    KafkaBroker(Path dir, Path logDir, String classpath, int port, int controllerPort) {
        this.dir = dir;
        this.logDir = logDir;
        this.classpath = classpath;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    JavaProcess process() {
        return process;
    }

    /** Formats the storage (first start only) and starts the broker; returns once it accepts connections. */
    void start() throws IOException, InterruptedException {
        Path props = dir.resolve("server.properties");
        if (starts == 0) {
            Files.createDirectories(dir);
            Files.writeString(props, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=2",
                    "auto.create.topics.enable=false",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    // a small machine: few threads
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "background.threads=2",
                    "num.recovery.threads.per.data.dir=1",
                    "log.segment.bytes=268435456",
                    "") + "\n");
            JavaProcess format = JavaProcess.start("kafka-format", List.of(JavaProcess.javaBinary(), "-Xmx256m",
                    "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                    "-c", props.toString()), logDir, dir);
            if (!format.process.waitFor(60, TimeUnit.SECONDS) || format.process.exitValue() != 0) {
                throw new IllegalStateException("formatting the Kafka storage failed; see " + format.stderr + "\n"
                        + JavaProcess.tail(format.stderr, 10));
            }
        }
        starts++;
        process = JavaProcess.start(starts == 1 ? "kafka" : "kafka-" + starts, List.of(JavaProcess.javaBinary(),
                "-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-cp", classpath, "kafka.Kafka", props.toString()), logDir, dir);
        awaitPort(Duration.ofSeconds(90));
    }

    /** Creates the readings topic; records carry the broker's append time (the target's ack time). */
    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get(60, TimeUnit.SECONDS);
        }
    }

    void kill9() throws InterruptedException {
        process.kill9();
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.stop(Duration.ofSeconds(15));
        }
    }

    private void awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited; see " + process.stderr + "\n"
                        + JavaProcess.tail(process.stderr, 15));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Kafka broker did not listen on " + port + " within " + timeout);
    }

}
