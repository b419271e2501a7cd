package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.config.ServerPkiDirectories;
import io.busbar.connectors.opcua.TrustList;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pki",
        header = "List, trust or reject OPC UA server certificates.",
        description = {"List, trust or reject the OPC UA server certificates in Busbar's PKI directory (a server's"
                + " security.pki-dir; with --config every one the configuration uses).",
                "  list    trusted and rejected certificates: state, SHA-1 thumbprint, subject, validity, file",
                "  trust   move a rejected certificate to trusted/certs: Busbar connects to that server (a running"
                        + " Busbar at its next attempt, without a restart)",
                "  reject  move a trusted certificate to rejected: Busbar connects to that server no more",
                "A certificate is named by its thumbprint, or by the start of it if no other certificate shares that"
                        + " start. An untrusted server is logged once with the exact trust command."})
public final class PkiCommand extends ConsoleCommand {

    enum Action { list, trust, reject }

    private static final Pattern THUMBPRINT = Pattern.compile("^[0-9A-F]{1,40}$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, trust or reject")
    Action action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "THUMBPRINT",
            description = "The certificate's SHA-1 thumbprint or its start (required for trust and reject; filters list).")
    String thumbprint;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The busbar.yaml whose PKI directories to use.")
    Path config;

    @Option(names = "--pki-dir", paramLabel = "DIR", description = "A PKI directory, e.g. the one a warning named.")
    Path pkiDir;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        List<String> problems = new ArrayList<>();
        if ((config == null) == (pkiDir == null)) {
            problems.add("pki: give either --config FILE or --pki-dir DIR");
        }
        String prefix = thumbprint == null ? null : TrustList.normalizeThumbprint(thumbprint);
        if (prefix == null && action != Action.list) {
            problems.add("pki " + action + ": give the certificate's THUMBPRINT (`busbar pki list` shows them)");
        } else if (prefix != null && !THUMBPRINT.matcher(prefix).matches()) {
            problems.add("THUMBPRINT: '" + thumbprint + "' is not a SHA-1 thumbprint or the start of one"
                    + " (up to 40 hexadecimal digits)");
        }
        if (!problems.isEmpty()) {
            return invalid(err, problems);
        }
        List<TrustList> trustLists;
        try {
            trustLists = trustLists(problems);
        } catch (InvalidConfigurationException e) {
            ValidateCommand.printProblems(err, e);
            return ExitCodes.INVALID;
        }
        if (!problems.isEmpty()) {
            return invalid(err, problems);
        }
        try {
            return action == Action.list ? list(out, trustLists, prefix) : move(out, err, trustLists, prefix);
        } catch (IOException e) {
            err.println("pki " + action + ": " + e.getMessage());
            err.flush();
            return ExitCodes.RUNTIME_FAILURE;
        }
    }

    private List<TrustList> trustLists(List<String> problems) {
        if (pkiDir != null) {
            if (!Files.isDirectory(pkiDir)) {
                problems.add("--pki-dir: " + pkiDir + " is not a directory");
            }
            return List.of(TrustList.of(pkiDir));
        }
        List<Path> directories = ServerPkiDirectories.of(config);
        if (directories.isEmpty()) {
            problems.add(config + ": no server has a security section, so Busbar uses no PKI directory");
        }
        return directories.stream().map(TrustList::of).toList();
    }

    private int list(PrintWriter out, List<TrustList> trustLists, String prefix) throws IOException {
        for (TrustList trustList : trustLists) {
            out.println("PKI directory " + trustList.directory());
            if (!Files.isDirectory(trustList.directory())) {
                out.println("  (does not exist yet: Busbar creates it at its first secured connection)");
                continue;
            }
            TrustList.Listing listing = trustList.list();
            List<TrustList.Entry> shown = listing.entries().stream()
                    .filter(entry -> prefix == null || entry.matches(prefix)).toList();
            if (shown.isEmpty()) {
                out.println(prefix == null ? "  (no server certificates)" : "  (no certificate matches " + prefix + ")");
            } else {
                out.printf("  %-8s  %-40s  %-24s  %s%n", "STATE", "SHA-1 THUMBPRINT", "VALID", "SUBJECT / FILE");
                for (TrustList.Entry entry : shown) {
                    out.printf("  %-8s  %-40s  %-24s  %s%n  %-8s  %-40s  %-24s  %s%n", entry.state().wireName(),
                            entry.thumbprint(), validity(entry), entry.subject(), "", "", "",
                            trustList.directory().relativize(entry.file()));
                }
            }
            listing.unreadable().forEach(problem -> out.println("  unreadable: " + problem));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private String validity(TrustList.Entry entry) {
        String range = DAY.format(entry.notBefore()) + ".." + DAY.format(entry.notAfter());
        return entry.notAfter().isBefore(Instant.now()) ? range + " EXPIRED" : range;
    }

    /** trust: rejected → trusted; reject: trusted → rejected. The thumbprint may be in several PKI directories. */
    private int move(PrintWriter out, PrintWriter err, List<TrustList> trustLists, String prefix) throws IOException {
        TrustList.State from = action == Action.trust ? TrustList.State.REJECTED : TrustList.State.TRUSTED;
        Map<TrustList.Entry, TrustList> matching = new LinkedHashMap<>();
        for (TrustList trustList : trustLists) {
            for (TrustList.Entry entry : trustList.list().entries()) {
                if (entry.matches(prefix)) {
                    matching.put(entry, trustList);
                }
            }
        }
        Map<String, List<TrustList.Entry>> byThumbprint = matching.keySet().stream()
                .collect(Collectors.groupingBy(TrustList.Entry::thumbprint, LinkedHashMap::new, Collectors.toList()));
        if (byThumbprint.isEmpty()) {
            return invalid(err, List.of("pki " + action + ": no certificate's thumbprint starts with " + prefix + " in "
                    + trustLists.stream().map(t -> t.directory().toString()).collect(Collectors.joining(", "))
                    + " (`busbar pki list` shows them)"));
        }
        if (byThumbprint.size() > 1) {
            return invalid(err, List.of("pki " + action + ": " + prefix + " is the start of " + byThumbprint.size()
                    + " certificates' thumbprints; give more of it: " + byThumbprint.values().stream()
                    .map(entries -> entries.get(0).thumbprint() + " (" + entries.get(0).subject() + ")")
                    .collect(Collectors.joining(", "))));
        }
        List<TrustList.Entry> entries = byThumbprint.values().iterator().next();
        List<TrustList.Entry> toMove = entries.stream().filter(entry -> entry.state() == from).toList();
        TrustList.Entry first = entries.get(0);
        String name = "\"" + first.subject() + "\" (SHA-1 " + first.thumbprint() + ")";
        if (toMove.isEmpty()) {
            out.println(name + " is " + (action == Action.trust ? "trusted" : "rejected") + " already; nothing to do");
            out.flush();
            return ExitCodes.OK;
        }
        for (TrustList.Entry entry : toMove) {
            TrustList trustList = matching.get(entry);
            TrustList.Entry moved = action == Action.trust ? trustList.trust(entry) : trustList.reject(entry);
            out.println((action == Action.trust ? "Trusted " : "Rejected ") + name + ": moved " + entry.file() + " to "
                    + moved.file());
        }
        out.println(action == Action.trust
                ? "A running Busbar connects to that server at its next attempt."
                : "Busbar does not connect to that server from its next connection on.");
        out.flush();
        return ExitCodes.OK;
    }

    private static int invalid(PrintWriter err, List<String> problems) {
        problems.forEach(err::println);
        err.flush();
        return ExitCodes.INVALID;
    }
}
