package io.busbar.bootstrap.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site's own network: a Linux network namespace joined to this one (where the central runs) by
 * a veth pair, as a site's LAN is joined to the internet by its router. Inside it, nftables drops
 * a given share of the packets each way on the veth (real loss: TCP retransmits) and counts every
 * connection attempt that arrives from outside (a TCP SYN without ACK). {@link #cut()} takes the
 * central's end of the veth down: the site's end loses its carrier, packets vanish, nothing says
 * so (no RST, no ICMP), as when a site's uplink fails. Processes started through {@link #launcher()}
 * run inside; in there the central's host name resolves to this side's veth address (a hosts file
 * under {@code /etc/netns/<name>/}, which {@code ip netns exec} mounts over {@code /etc/hosts}).
 *
 * <p>The kernel here has no {@code sch_netem}, so latency is not the kernel's: the test puts a
 * {@link WanLink} in front of the central on this side's address.
 *
 * <p>Needs root, iproute2, nftables, curl and ss ({@link #unavailable()} says what is missing).
 * Names are unique per run (process id and a counter); {@link #close()} deletes everything, also
 * on failure, and a JVM shutdown hook does it if the test JVM is stopped; namespaces left by a
 * killed JVM of an earlier run are deleted by the next {@link #create}.
 */
final class SiteNamespace implements AutoCloseable {

    private static final String PREFIX = "busbar-wan-";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-\\d+");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String centralVeth;
    private final String siteVeth;
    private final String centralAddress;
    private final String siteAddress;
    private final Path etc;
    private final Thread cleanup = new Thread(this::delete, "site-namespace-cleanup");

    private SiteNamespace(String name, String centralVeth, String siteVeth, String centralAddress, String siteAddress) {
        this.name = name;
        this.centralVeth = centralVeth;
        this.siteVeth = siteVeth;
        this.centralAddress = centralAddress;
        this.siteAddress = siteAddress;
        this.etc = Path.of("/etc/netns", name);
    }

    /** Why namespaces cannot be made here; empty where they can. */
    static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.of("network namespaces are Linux only");
        }
        for (List<String> tool : List.of(List.of("ip", "-V"), List.of("nft", "--version"), List.of("curl", "--version"),
                List.of("ss", "-V"))) {
            if (run(tool).exit() != 0) {
                return Optional.of("'" + tool.get(0) + "' is not installed");
            }
        }
        String probe = PREFIX + "probe-" + ProcessHandle.current().pid();
        Result added = run(List.of("ip", "netns", "add", probe));
        run(List.of("ip", "netns", "del", probe));
        return added.exit() == 0 ? Optional.empty()
                : Optional.of("cannot create a network namespace (needs root): " + added.output().strip());
    }

    /**
     * A namespace whose veth drops {@code lossPercent} % of the packets each way, and in which
     * {@code centralHost} resolves to the central's end of the veth.
     */
    static SiteNamespace create(String centralHost, int lossPercent) throws IOException {
        deleteLeftovers();
        long pid = ProcessHandle.current().pid();
        int n = COUNTER.incrementAndGet();
        // a /30 of 10.213.0.0/16 that no interface here uses yet
        int block = ThreadLocalRandom.current().nextInt(16_384);
        String base = "10.213." + (block / 64) + ".";
        int last = (block % 64) * 4;
        SiteNamespace ns = new SiteNamespace(PREFIX + pid + "-" + n, "bw" + pid + "-" + n + "c",
                "bw" + pid + "-" + n + "s", base + (last + 1), base + (last + 2));
        Runtime.getRuntime().addShutdownHook(ns.cleanup);
        try {
            ns.build(centralHost, lossPercent);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    private void build(String centralHost, int lossPercent) throws IOException {
        ip("netns", "add", name);
        // one segment per packet (no GSO): the loss rule then drops segments, not 64 KB bursts of them
        ip("link", "add", centralVeth, "gso_max_segs", "1", "type", "veth", "peer", "name", siteVeth, "gso_max_segs", "1");
        ip("link", "set", siteVeth, "netns", name);
        ip("addr", "add", centralAddress + "/30", "dev", centralVeth);
        ip("link", "set", centralVeth, "up");
        ip("-n", name, "addr", "add", siteAddress + "/30", "dev", siteVeth);
        ip("-n", name, "link", "set", siteVeth, "up");
        ip("-n", name, "link", "set", "lo", "up");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n" + centralAddress + " "
                + centralHost + "\n", StandardCharsets.UTF_8);
        String rules = """
                table inet wan {
                  counter inbound_connections {}
                  counter lost {}
                  chain input {
                    type filter hook input priority 0; policy accept;
                    iifname "lo" accept
                    tcp flags & (syn | ack) == syn counter name inbound_connections
                    numgen random mod 100 < %1$d counter name lost drop
                  }
                  chain output {
                    type filter hook output priority 0; policy accept;
                    oifname "lo" accept
                    numgen random mod 100 < %1$d counter name lost drop
                  }
                }
                """.formatted(lossPercent);
        Result nft = run(List.of("ip", "netns", "exec", name, "nft", "-f", "-"), rules);
        if (nft.exit() != 0) {
            throw new IOException("nft in " + name + ": " + nft.output());
        }
    }

    /** The command prefix that runs a program inside the namespace. */
    List<String> launcher() {
        return List.of("ip", "netns", "exec", name);
    }

    String name() {
        return name;
    }

    /** The central's end of the veth: what the central (or its relay) listens on for the site. */
    InetAddress centralAddress() throws IOException {
        return InetAddress.getByName(centralAddress);
    }

    /** The link fails: nothing passes either way from now on, and nobody is told. */
    void cut() throws IOException {
        ip("link", "set", centralVeth, "down");
    }

    void restore() throws IOException {
        ip("link", "set", centralVeth, "up");
    }

    /** TCP connection attempts (SYN without ACK) that arrived at the site from outside. */
    long inboundConnectionAttempts() throws IOException {
        return counter("inbound_connections");
    }

    /** Packets the loss rule dropped, both ways. */
    long packetsLost() throws IOException {
        return counter("lost");
    }

    private long counter(String counter) throws IOException {
        Result out = run(List.of("ip", "netns", "exec", name, "nft", "list", "counter", "inet", "wan", counter));
        Matcher packets = Pattern.compile("packets (\\d+)").matcher(out.output());
        if (out.exit() != 0 || !packets.find()) {
            throw new IOException("nft counter " + counter + " in " + name + ": " + out.output());
        }
        return Long.parseLong(packets.group(1));
    }

    /** The TCP sockets a process in the namespace listens on, as {@code ss} prints their local address. */
    List<String> listening(long pid) throws IOException {
        Result ss = run(List.of("ip", "netns", "exec", name, "ss", "-Hltnp"));
        if (ss.exit() != 0) {
            throw new IOException("ss in " + name + ": " + ss.output());
        }
        List<String> local = new ArrayList<>();
        ss.output().lines().filter(line -> line.contains("pid=" + pid + ","))
                .forEach(line -> local.add(line.trim().split("\\s+")[3]));
        return local;
    }

    /** Whether a local address as {@code ss} prints it ({@code 127.0.0.1:80}, {@code [::ffff:127.0.0.1]:80}, {@code *:80}) is loopback only. */
    static boolean isLoopback(String local) {
        String host = local.substring(0, local.lastIndexOf(':')).replaceAll("%.*$", "")
                .replace("[", "").replace("]", "").replace("::ffff:", "");
        try {
            return !host.equals("*") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** A JSON document from an HTTP server inside the namespace (its loopback); missing while it does not answer. */
    JsonNode getJson(int port, String path) {
        Result curl = run(List.of("ip", "netns", "exec", name, "curl", "-sf", "-m", "10",
                "http://127.0.0.1:" + port + path));
        try {
            return curl.exit() == 0 ? JSON.readTree(curl.output()) : MissingNode.getInstance();
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    /** Kills what still runs inside, then deletes the namespace (and with it both veth ends) and its files. */
    private void delete() {
        deleteNamespace(name);
        run(List.of("ip", "link", "del", centralVeth)); // gone with the namespace where it was created
    }

    private static void deleteNamespace(String name) {
        Result pids = run(List.of("ip", "netns", "pids", name));
        if (pids.exit() == 0) {
            pids.output().lines().map(String::strip).filter(p -> p.matches("\\d+"))
                    .forEach(p -> ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly));
        }
        run(List.of("ip", "netns", "del", name));
        Path etc = Path.of("/etc/netns", name);
        try {
            Files.deleteIfExists(etc.resolve("hosts"));
            Files.deleteIfExists(etc);
        } catch (IOException e) {
            // /etc/netns/<name> stays; harmless, and named for what left it
        }
    }

    /** Namespaces of an earlier run whose JVM was killed before it could delete them. */
    private static void deleteLeftovers() {
        run(List.of("ip", "netns", "list")).output().lines().map(line -> line.split("\\s+")[0]).forEach(ns -> {
            Matcher ours = OURS.matcher(ns);
            if (ours.matches() && ProcessHandle.of(Long.parseLong(ours.group(1))).isEmpty()) {
                deleteNamespace(ns);
            }
        });
    }

    private static void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result result = run(command);
        if (result.exit() != 0) {
            throw new IOException(String.join(" ", command) + ": " + result.output().strip());
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        return run(command, null);
    }

    private static Result run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, command + " did not finish");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
