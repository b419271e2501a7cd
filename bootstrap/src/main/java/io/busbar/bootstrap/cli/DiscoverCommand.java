package io.busbar.bootstrap.cli;

import io.busbar.connectors.opcua.OpcUaSecurityPolicy;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.browse.AddressSpaceBrowser;
import io.busbar.connectors.opcua.browse.BrowseException;
import io.busbar.connectors.opcua.browse.BrowseProgress;
import io.busbar.connectors.opcua.browse.BrowseResult;
import io.busbar.connectors.opcua.browse.MappingSkeleton;
import io.busbar.support.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "discover", subcommands = DiscoverUplinksCommand.class,
        header = "Browse an OPC UA server; write a mapping and a config for it.",
        description = "Browse an OPC UA server and write a mapping skeleton and a runnable configuration for it:"
                + " DIR/mappings/discovered.yaml (one meter per object holding numeric variables; per variable a register"
                + " with its NodeId, a suggested quantity code and unit, and its data type and description as a comment;"
                + " every guess to check is marked TODO) and DIR/busbar.yaml (source pair 'discovered' on the endpoint,"
                + " readings to DIR/readings.jsonl). Progress goes to stderr.")
public final class DiscoverCommand extends ConsoleCommand {

    public static final String CONFIG = "busbar.yaml";
    public static final String MAPPING = "mappings/discovered.yaml";
    public static final String READINGS = "readings.jsonl";
    public static final String PAIR = "discovered";
    static final String PKI_DIR = "pki";
    static final int PROGRESS_EVERY = 1_000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(5);
    static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(10);

    /** What the configuration schema accepts as an endpoint. */
    private static final Pattern ENDPOINT = Pattern.compile("^opc\\.tcp://[^\\s/:]+(:[0-9]{1,5})?(/\\S*)?$");

    // --endpoint and --out are checked in call(), not by picocli: `discover uplinks` needs neither
    @Option(names = "--endpoint", paramLabel = "URL",
            description = "The server's endpoint, e.g. opc.tcp://scada-1:4840/UA/Server; without the path the server is"
                    + " asked for its endpoints.")
    String endpoint;

    @Option(names = "--root", paramLabel = "NODEID", defaultValue = AddressSpaceBrowser.OBJECTS_FOLDER,
            description = "Browse below this node, e.g. ns=2;s=Meters (default: ${DEFAULT-VALUE}, the Objects folder).")
    String root;

    @Option(names = "--security-policy", paramLabel = "POLICY", defaultValue = "None",
            description = "None (default), Basic256Sha256 or Aes256_Sha256_RsaPss (sign and encrypt). Busbar's certificate"
                    + " is created in DIR/pki; after the first attempt trust the server with the `busbar pki trust`"
                    + " command the warning shows (`busbar pki list --pki-dir DIR/pki` lists the certificates).")
    String securityPolicy;

    @Mixin
    LoginOptions login = new LoginOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write into (required).")
    Path out;

    @Option(names = "--max-nodes", paramLabel = "N", defaultValue = "" + AddressSpaceBrowser.DEFAULT_MAX_NODES,
            description = "Stop after this many objects and variables (default: ${DEFAULT-VALUE}).")
    int maxNodes;

    @Option(names = "--force", description = "Overwrite DIR/busbar.yaml and DIR/" + MAPPING + " if they exist.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter stdout = out();
        PrintWriter err = err();
        List<String> problems = new ArrayList<>();
        OpcUaSecurityPolicy policy = null;
        try {
            policy = OpcUaSecurityPolicy.fromConfig(securityPolicy);
        } catch (IllegalArgumentException e) {
            problems.add("--security-policy: " + e.getMessage());
        }
        if (endpoint == null) {
            problems.add("--endpoint: required: the OPC UA server's endpoint URL (for MQTT uplinks: busbar discover"
                    + " uplinks --help)");
        } else if (!ENDPOINT.matcher(endpoint).matches()) {
            problems.add("--endpoint: must be an opc.tcp://host:port URL, not '" + endpoint + "'");
        }
        if (out == null) {
            problems.add("--out: required: the directory to write into");
            problems.forEach(err()::println);
            return ExitCodes.INVALID;
        }
        if (maxNodes < 1) {
            problems.add("--max-nodes: must be positive, not " + maxNodes);
        }
        String password = login.password(problems);
        refuseToOverwrite(out, MAPPING, force, problems);
        AddressSpaceBrowser browser = null;
        if (problems.isEmpty()) {
            try {
                // one long session, not a live feed: patient with slow servers and large browse responses
                OpcUaSourceOptions.Builder options = OpcUaSourceOptions.builder(endpoint).securityPolicy(policy)
                        .connectTimeout(CONNECT_TIMEOUT).requestTimeout(REQUEST_TIMEOUT)
                        .keepAliveInterval(KEEP_ALIVE_INTERVAL).keepAliveTimeout(KEEP_ALIVE_TIMEOUT);
                if (policy.isSecured()) {
                    options.pkiDirectory(out.resolve(PKI_DIR));
                }
                if (!login.anonymous()) {
                    options.credentials(login.username, password);
                }
                browser = AddressSpaceBrowser.builder(options.build()).root(root).maxNodes(maxNodes)
                        .progress(new Progress(err)).build();
            } catch (IllegalArgumentException e) {
                problems.add((e.getMessage().startsWith("not an OPC UA NodeId") ? "--root: " : "") + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.flush();
            return ExitCodes.INVALID;
        }

        BrowseResult result;
        try {
            result = browser.browse();
        } catch (BrowseException e) {
            err.println("discover: " + e.getMessage());
            err.flush();
            return ExitCodes.RUNTIME_FAILURE;
        }
        if (!result.endpointUrl().equals(endpoint)) {
            err.println("discover: the server's endpoint is " + result.endpointUrl() + " (found from " + endpoint
                    + "); busbar.yaml uses it");
            endpoint = result.endpointUrl();
        }
        MappingSkeleton skeleton = MappingSkeleton.of(result.variables());
        stdout.printf(Locale.ROOT, "Browsed %,d nodes below %s in %.1f s: %,d variables, %,d numeric in %,d objects.%n",
                result.nodesVisited(), result.rootPath(), result.elapsed().toMillis() / 1000.0, result.variables().size(),
                skeleton.registerCount(), skeleton.meters().size());
        if (result.truncated()) {
            err.printf(Locale.ROOT, "discover: stopped at the --max-nodes limit of %,d nodes; the mapping is incomplete."
                    + " Narrow the search with --root or raise --max-nodes.%n", maxNodes);
        }
        if (skeleton.meters().isEmpty()) {
            err.println("discover: no numeric variables below " + result.rootPath() + " on " + endpoint
                    + "; nothing written. Try another --root.");
            err.flush();
            return ExitCodes.RUNTIME_FAILURE;
        }
        try {
            write(out.resolve(MAPPING), skeleton.toYaml(header(result, skeleton)));
            write(out.resolve(CONFIG), config(policy));
        } catch (IOException e) {
            err.println("discover: cannot write into " + out + ": " + e);
            err.flush();
            return ExitCodes.RUNTIME_FAILURE;
        }
        printWritten(stdout, out, MAPPING, skeleton, "source pair '" + PAIR + "'");
        stdout.flush();
        return ExitCodes.OK;
    }

    /** Without --force, the files a discover command writes must not exist yet. */
    static void refuseToOverwrite(Path out, String mapping, boolean force, List<String> problems) {
        for (Path file : List.of(out.resolve(CONFIG), out.resolve(mapping))) {
            if (!force && Files.exists(file)) {
                problems.add(file + " exists; choose another --out or add --force to overwrite it");
            }
        }
    }

    /** What a discover command wrote, and what to do next. */
    static void printWritten(PrintWriter stdout, Path out, String mapping, MappingSkeleton skeleton, String source) {
        stdout.printf(Locale.ROOT, "Wrote %s (%,d meters, %,d registers; TODO: %,d quantity code(s) and %,d unit(s) to check)%n",
                out.resolve(mapping), skeleton.meters().size(), skeleton.registerCount(), skeleton.quantityTodoCount(),
                skeleton.unitTodoCount());
        stdout.printf("  and %s (%s, readings to %s).%n", out.resolve(CONFIG), source, out.resolve(READINGS));
        stdout.printf("Next: check the TODOs, then busbar validate --config %1$s and busbar run --config %1$s%n",
                out.resolve(CONFIG));
    }

    private List<String> header(BrowseResult result, MappingSkeleton skeleton) {
        List<String> header = new ArrayList<>();
        header.add("Written by `busbar discover` from " + endpoint + " below " + result.rootPath() + " (" + root + ") at "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".");
        header.add(String.format(Locale.ROOT, "%,d nodes browsed: %,d meters with %,d registers; marked TODO: %,d quantity"
                        + " code(s) and %,d unit(s) to check.", result.nodesVisited(), skeleton.meters().size(), skeleton.registerCount(),
                skeleton.quantityTodoCount(), skeleton.unitTodoCount()));
        if (result.truncated()) {
            header.add(String.format(Locale.ROOT, "INCOMPLETE: browsing stopped at the --max-nodes limit of %,d nodes.",
                    maxNodes));
        }
        header.add("Quantity codes are guesses from the names; units are the server's engineering units where it has them.");
        header.add("Next to quantity and unit, a register may need scale, source-unit (e.g. Wh -> kWh), digits and validation.");
        return header;
    }

    String config(OpcUaSecurityPolicy policy) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Written by `busbar discover`: the server ").append(endpoint).append(" feeding a JSON-lines file.\n");
        yaml.append("# Check ").append(MAPPING).append(" (every line marked TODO), then: busbar validate --config ")
                .append(CONFIG).append('\n');
        yaml.append("sources:\n");
        yaml.append("  ").append(PAIR).append(":\n");
        yaml.append("    primary:\n");
        yaml.append("      endpoint: ").append(quote(endpoint)).append('\n');
        if (policy.isSecured() || !login.anonymous()) {
            yaml.append("      security:\n");
            yaml.append("        policy: ").append(configName(policy)).append('\n');
            if (!login.anonymous()) {
                yaml.append(login.yaml("        "));
            }
            if (policy.isSecured()) {
                yaml.append("        pki-dir: ").append(PKI_DIR).append('\n');
            }
        }
        yaml.append("    # secondary:                          # the redundant partner server, if there is one\n");
        yaml.append("    #   endpoint: opc.tcp://scada-2:4840\n");
        appendMappingAndFileTarget(yaml, PAIR, MAPPING);
        return yaml.toString();
    }

    /** The rest of a discovered configuration: the source's mapping file, and its readings to {@value #READINGS}. */
    static void appendMappingAndFileTarget(StringBuilder yaml, String source, String mapping) {
        yaml.append("mappings:\n");
        yaml.append("  ").append(source).append(": ").append(mapping).append('\n');
        yaml.append("targets:\n");
        yaml.append("  readings-file:\n");
        yaml.append("    type: file\n");
        yaml.append("    path: ").append(READINGS).append('\n');
        yaml.append("routes:\n");
        yaml.append("  - from: ").append(source).append('\n');
        yaml.append("    to: [readings-file]\n");
        yaml.append("buffer:\n");
        yaml.append("  data-dir: data\n");
    }

    /** The policy as the configuration writes it. */
    static String configName(OpcUaSecurityPolicy policy) {
        return switch (policy) {
            case NONE -> "None";
            case BASIC256SHA256 -> "Basic256Sha256";
            case AES256_SHA256_RSAPSS -> "Aes256_Sha256_RsaPss";
        };
    }

    /** A YAML double-quoted scalar. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    /** Through a temporary file, so an interrupted run leaves no half-written file. */
    static void write(Path file, String content) throws IOException {
        AtomicFiles.write(file, content, StandardCharsets.UTF_8);
    }

    /** Every {@value #PROGRESS_EVERY} nodes a line on stderr. */
    private static final class Progress implements BrowseProgress {

        private final PrintWriter err;
        private int reported;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onProgress(int nodesVisited, int variablesFound) {
            if (nodesVisited / PROGRESS_EVERY > reported / PROGRESS_EVERY) {
                reported = nodesVisited;
                err.printf(Locale.ROOT, "browsed %,d nodes (%,d variables)...%n", nodesVisited, variablesFound);
                err.flush();
            }
        }
    }
}
