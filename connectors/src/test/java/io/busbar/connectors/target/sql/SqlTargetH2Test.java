package io.busbar.connectors.target.sql;

import static io.busbar.connectors.support.TestReadings.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.mappings.model.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL target against an H2 database served by H2's TCP server (so it can be stopped). Runs everywhere. */
class SqlTargetH2Test extends SqlTargetContract {

    @TempDir
    static Path dir;
    private static Server server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        port = server.getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Override
    protected String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/historian";
    }

    @Test
    void serverDown_deliverFailsTransiently_thenTheSameBatchIsStoredOnceWhenItIsBack() throws Exception {
        SqlTarget target = started(settings(url(), true));
        List<Reading> first = batch(5);
        target.deliver(first);

        server.stop();
        List<Reading> during = batch(20, first.get(0).sourceTime().plusSeconds(100));
        assertThatThrownBy(() -> target.deliver(during)).isInstanceOf(SqlTarget.SqlDeliveryException.class);

        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists").start();
        target.deliver(during);
        target.deliver(during);

        assertThat(rows()).extracting(Row::key).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(first.stream(), during.stream()).map(Reading::key).toList());
    }

    @Test
    void shippedDdl_isTheOneInTheExamples() throws Exception {
        assertThat(Files.readString(Path.of("../examples/historian-sql/schema-h2.sql")))
                .isEqualTo(SqlDialect.H2.ddl("readings"));
        assertThat(Files.readString(Path.of("../examples/historian-sql/schema-postgresql.sql")))
                .isEqualTo(SqlDialect.POSTGRESQL.ddl("readings"));
    }
}
