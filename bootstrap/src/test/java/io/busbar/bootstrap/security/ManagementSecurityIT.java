package io.busbar.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.BusbarCli;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A Busbar with a management password: the status is public, everything behind it needs the password. */
@ExtendWith(OutputCaptureExtension.class)
class ManagementSecurityIT {

    private static final String PASSWORD = "Tr4nsf0rmer-Yard-7";

    @TempDir
    Path dir;

    @RegisterExtension
    final InProcessBusbar run = new InProcessBusbar();

    @Test
    void withPassword_statusIsPublic_detailsMetricsAndControlNeedIt_andItIsNeverLogged(CapturedOutput output)
            throws Exception {
        SimulatedScadaServer server = run.server(2);
        Path config = DemoFiles.write(dir, server.endpointUrl(), server.endpointUrl(), 2);
        ConfigurableApplicationContext busbar = run.start(ConfigFile.load(config),
                "--" + ManagementAccess.PASSWORD_PROPERTY + "=" + PASSWORD);
        int port = ((WebServerApplicationContext) busbar).getWebServer().getPort();
        Http anonymous = new Http(port);
        Http operator = anonymous.as(ManagementAccess.DEFAULT_USERNAME, PASSWORD);

        await().atMost(Duration.ofSeconds(90))
                .until(() -> anonymous.getJson("/actuator/health").path("status").asText().equals("UP"));
        assertThat(anonymous.getJson("/actuator/health").has("components")).as("details hidden from anonymous").isFalse();
        assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        assertThat(anonymous.get("/actuator/health/redundancy").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/deadletters").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/").statusCode()).as("status page").isEqualTo(401);
        assertThat(anonymous.get("/status.js").statusCode()).isEqualTo(401);
        assertThat(anonymous.post("/actuator/redundancy/demo", "{\"force\":\"secondary\"}").statusCode()).isEqualTo(401);
        assertThat(anonymous.as(ManagementAccess.DEFAULT_USERNAME, "wrong").get("/actuator/prometheus").statusCode())
                .isEqualTo(401);

        assertThat(operator.getJson("/actuator/health").path("components").has("redundancy"))
                .as("details shown to the operator").isTrue();
        assertThat(operator.get("/actuator/prometheus").body()).contains("busbar_target_delivered_total");
        assertThat(operator.get("/actuator/deadletters").statusCode()).isEqualTo(200);
        assertThat(operator.get("/").body()).as("status page").contains("<title>Busbar status</title>");

        StringWriter err = new StringWriter();
        int exit = BusbarCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "dlq", "list", "--url", "http://localhost:" + port);
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("asks for the management password", ManagementAccess.PASSWORD_ENV);

        assertThat(output.getAll()).contains("need HTTP basic authentication").doesNotContain(PASSWORD);
    }
}
