package io.busbar.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.BusbarCli;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.connectors.opcua.TrustList;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.Reading;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code busbar discover} against a simulated server: what it writes validates and runs. */
class DiscoverIT {

    private static final int METERS = 3;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    @RegisterExtension
    final InProcessBusbar run = new InProcessBusbar();
    private SimulatedScadaServer server;

    private int busbar(String... args) {
        return BusbarCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private SimulatedScadaServer startServer(int meters) {
        server = run.server(meters);
        return server;
    }

    @Test
    void discoverWritesAMappingAndConfigThatValidateAndDeliverReadings() throws Exception {
        startServer(METERS);
        Path out = dir.resolve("site");

        assertThat(busbar("discover", "--endpoint", server.endpointUrl(), "--out", out.toString()))
                .as(err.toString()).isEqualTo(ExitCodes.OK);

        String mapping = Files.readString(out.resolve(DiscoverCommand.MAPPING));
        assertThat(mapping)
                .contains("  - id: \"Meter001\"")
                .contains("      - node: \"" + SimulatedScadaServer.energyNodeId(1) + "\"")
                .contains("Energy · Double · Raw active energy counter, Wh")
                .contains("quantity: \"1-0:1.8.0\"", "quantity: \"1-0:1.7.0\"")
                .contains("# TODO check unit: the server gives no engineering units")
                .contains("browse: \"Objects/Meters/{meter}/Energy\"")
                .contains("Objects/Redundancy/IsActive (Boolean)");
        assertThat(this.out.toString()).contains("Wrote " + out.resolve(DiscoverCommand.MAPPING) + " (4 meters, 7 registers");

        assertThat(busbar("validate", "--config", out.resolve(DiscoverCommand.CONFIG).toString()))
                .as(err.toString()).isEqualTo(ExitCodes.OK);

        run.start(ConfigFile.load(out.resolve(DiscoverCommand.CONFIG)));

        Path readings = out.resolve(DiscoverCommand.READINGS);
        Set<String> expected = Set.of("Meter001/1-0:1.8.0", "Meter001/1-0:1.7.0", "Meter002/1-0:1.8.0",
                "Meter002/1-0:1.7.0", "Meter003/1-0:1.8.0", "Meter003/1-0:1.7.0");
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(readings).stream()
                .map(r -> r.meter() + "/" + r.quantity()).collect(Collectors.toSet()).containsAll(expected));
        List<Reading> delivered = ReadingsFile.read(readings);
        Reading energy = delivered.stream().filter(r -> r.meter().equals("Meter002") && r.quantity().equals("1-0:1.8.0"))
                .findFirst().orElseThrow();
        assertThat(energy.pair()).isEqualTo(DiscoverCommand.PAIR);
        assertThat(energy.raw()).isEqualByComparingTo(
                BigDecimal.valueOf(SimulatedScadaServer.energyWh(2, energy.sourceTime().getEpochSecond())));
    }

    @Test
    void securedServerWithUser_trustOnceThenTheConfigUsesTheSamePkiAndAnEnvironmentPassword() throws Exception {
        server = run.server(SimulatedScadaServer.builder().meterCount(1).secured(true).user("operator", "pa55"));
        Map<String, String> environment = Map.of("SCADA_PASSWORD", "pa55");
        String[] args = {"discover", "--endpoint", server.endpointUrl(), "--security-policy", "basic256sha256",
                "--username", "operator", "--password-env", "SCADA_PASSWORD", "--out", dir.toString()};

        assertThat(discover(environment, args)).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        String trust = "busbar pki trust " + TrustList.thumbprint(server.serverCertificate().orElseThrow())
                + " --pki-dir " + dir.resolve("pki").toAbsolutePath();
        assertThat(err.toString()).contains("Bad_CertificateUntrusted").contains(trust);
        assertThat(dir.resolve(DiscoverCommand.CONFIG)).doesNotExist();

        assertThat(busbar(trust.substring("busbar ".length()).split(" "))).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(discover(environment, args)).as(err.toString()).isEqualTo(ExitCodes.OK);

        assertThat(Files.readString(dir.resolve(DiscoverCommand.CONFIG))).contains("""
                      security:
                        policy: Basic256Sha256
                        username: "operator"
                        password: "${SCADA_PASSWORD}"
                        pki-dir: pki
                """);
        CompiledConfig config = ConfigFile.load(dir.resolve(DiscoverCommand.CONFIG), environment::get);
        assertThat(config.plan().pairs().get(0).mapping().nodeIds()).contains(SimulatedScadaServer.energyNodeId(1));
    }

    /** Like {@link #busbar}, with the environment the password is read from replaced. */
    private int discover(Map<String, String> environment, String... args) {
        DiscoverCommand command = new DiscoverCommand();
        command.login.environment = environment::get;
        PrintWriter stdout = new PrintWriter(out, true);
        PrintWriter stderr = new PrintWriter(err, true);
        return new CommandLine(command).setOut(stdout).setErr(stderr).execute(List.of(args).subList(1, args.length)
                .toArray(String[]::new));
    }

    @Test
    void endpointWithoutPath_theServersEndpointIsFoundAndWritten() throws Exception {
        startServer(1);
        String withoutPath = "opc.tcp://localhost:" + server.port();

        assertThat(busbar("discover", "--endpoint", withoutPath, "--out", dir.toString())).as(err.toString())
                .isEqualTo(ExitCodes.OK);

        assertThat(err.toString()).contains("discover: the server's endpoint is " + server.endpointUrl() + " (found from "
                + withoutPath + "); busbar.yaml uses it");
        assertThat(Files.readString(dir.resolve(DiscoverCommand.CONFIG)))
                .contains("      endpoint: \"" + server.endpointUrl() + "\"");
    }

    @Test
    void largeAddressSpace_reportsProgressOnStderr() {
        startServer(400); // 400 meter folders and 800 variables: more than 1,000 nodes

        assertThat(busbar("discover", "--endpoint", server.endpointUrl(), "--out", dir.toString())).isEqualTo(ExitCodes.OK);

        assertThat(err.toString()).containsPattern("browsed 1,\\d{3} nodes \\(\\d+ variables\\)\\.\\.\\.");
        assertThat(out.toString()).contains("401 objects").contains("801 numeric");
    }

    @Test
    void deadEndpoint_exitsOneWithOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String endpoint = "opc.tcp://localhost:" + port;

        assertThat(busbar("discover", "--endpoint", endpoint, "--out", dir.toString())).isEqualTo(ExitCodes.RUNTIME_FAILURE);

        assertThat(err.toString().lines().toList()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("discover: cannot connect to " + endpoint + ": "));
        assertThat(dir.resolve(DiscoverCommand.CONFIG)).doesNotExist();
    }

    @Test
    void invalidOptionsAndExistingFiles_exitTwoBeforeConnecting() throws IOException {
        Files.writeString(dir.resolve(DiscoverCommand.CONFIG), "keep me");

        int code = busbar("discover", "--endpoint", "http://scada:4840", "--root", "Meters", "--security-policy", "Basic128",
                "--username", "operator", "--out", dir.toString());

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--security-policy: unknown OPC UA security policy 'Basic128'")
                .contains("--endpoint: must be an opc.tcp://host:port URL, not 'http://scada:4840'")
                .contains("--username and --password-env go together")
                .contains(dir.resolve(DiscoverCommand.CONFIG) + " exists; choose another --out or add --force");
        assertThat(Files.readString(dir.resolve(DiscoverCommand.CONFIG))).isEqualTo("keep me");

        err.getBuffer().setLength(0);
        assertThat(busbar("discover", "--endpoint", "opc.tcp://scada:4840", "--root", "Meters", "--out",
                dir.resolve("new").toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--root: not an OPC UA NodeId: 'Meters'");
    }
}
