package io.busbar.connectors.target.sql;

import static io.busbar.connectors.support.TestReadings.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.busbar.connectors.support.TcpProxy;
import io.busbar.mappings.model.Reading;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL target against PostgreSQL on 127.0.0.1:5432, database {@code test}, user {@code postgres}
 * ({@code .ci/run} starts it); skipped where it does not run.
 */
class SqlTargetPostgresTest extends SqlTargetContract {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;

    @BeforeAll
    static void postgresRuns() {
        assumeTrue(portOpen(), "PostgreSQL is not listening on " + HOST + ":" + PORT + "; start it to run these tests");
    }

    @Override
    protected String url() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/test";
    }

    @Override
    protected SqlTargetSettings access(SqlTargetSettings settings) {
        return settings.withCredentials("postgres", "");
    }

    @Test
    void serverDown_deliverFailsTransiently_thenTheSameBatchIsStoredOnceWhenItIsBack() throws Exception {
        try (TcpProxy proxy = new TcpProxy(HOST, PORT)) {
            SqlTarget target = started(settings("jdbc:postgresql://" + HOST + ":" + proxy.port() + "/test", true));
            List<Reading> first = batch(5);
            target.deliver(first);

            proxy.stop();
            List<Reading> during = batch(20, first.get(0).sourceTime().plusSeconds(100));
            assertThatThrownBy(() -> target.deliver(during)).isInstanceOf(SqlTarget.SqlDeliveryException.class);

            proxy.start();
            target.deliver(during);
            target.deliver(during);

            assertThat(rows()).extracting(Row::key).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(first.stream(), during.stream()).map(Reading::key).toList());
        }
    }

    private static boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
