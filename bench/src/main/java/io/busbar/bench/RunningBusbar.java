package io.busbar.bench;

import java.nio.file.Path;

/** A Busbar process under measurement, once its first reading has reached Kafka. */
record RunningBusbar(JavaProcess process, int httpPort, Path dir, long firstReadingMs) {
}
