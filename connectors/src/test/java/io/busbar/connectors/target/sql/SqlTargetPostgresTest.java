package io.busbar.connectors.target.sql;

import static io.busbar.connectors.support.TestReadings.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.support.TcpProxy;
import io.busbar.mappings.model.Reading;
import io.busbar.support.testing.LocalService;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SQL target against PostgreSQL on 127.0.0.1:5432, database {@code test}, user {@code postgres}
 * ({@code .ci/run} starts it); skipped where it does not run.
 */
class SqlTargetPostgresTest extends SqlTargetContract {

    @RegisterExtension
    static final LocalService POSTGRES = LocalService.required("PostgreSQL", 5432, "start it to run these tests");

    @Override
    protected SqlTargetSettings access(SqlTargetSettings settings) {
        return settings.withCredentials("postgres", "");
    }

    @Override
    protected String url() {
        return "jdbc:postgresql://" + POSTGRES.address() + "/test";
    }

    @Test
    void serverDown_deliverFailsTransiently_thenTheSameBatchIsStoredOnceWhenItIsBack() throws Exception {
        try (TcpProxy proxy = new TcpProxy(POSTGRES.host(), POSTGRES.port())) {
            SqlTarget target = started(settings("jdbc:postgresql://" + POSTGRES.host() + ":" + proxy.port() + "/test", true));
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
}
