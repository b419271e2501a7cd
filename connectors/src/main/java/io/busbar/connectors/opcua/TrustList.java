package io.busbar.connectors.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The server certificates of a PKI directory, as an operator manages them: {@code trusted/certs}
 * (servers Busbar connects to) and {@code rejected} (servers it refused; Milo's quarantine puts
 * every untrusted certificate there). Trusting moves a certificate from rejected to trusted, rejecting
 * moves it back. A running Busbar notices the change by itself: the trust list watches its directory.
 *
 * <p>Certificates are named by their SHA-1 thumbprint (of the DER encoding, as OPC UA and UaExpert
 * show it): 40 upper-case hex digits.
 */
public final class TrustList {

    /** Where a certificate is. */
    public enum State {
        TRUSTED, REJECTED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One certificate in one file.
     *
     * @param thumbprint SHA-1 of the DER encoding, upper-case hex
     * @param subject the subject without empty attributes, e.g. {@code CN=Meters, O=Plant}
     * @param certificate the decoded certificate
     * @param certificatesInFile how many certificates its file held when listed (a PEM bundle holds several)
     */
    public record Entry(State state, String thumbprint, String subject, Instant notBefore, Instant notAfter, Path file,
                        X509Certificate certificate, int certificatesInFile) {

        /** Whether the thumbprint starts with {@code prefix} (any case; colons and spaces ignored). */
        public boolean matches(String prefix) {
            return thumbprint.startsWith(normalizeThumbprint(prefix));
        }
    }

    /**
     * What the directories hold.
     *
     * @param entries every certificate, trusted ones first, each group by subject
     * @param unreadable files that are no certificate, with the reason
     */
    public record Listing(List<Entry> entries, List<String> unreadable) {
    }

    private final Path directory;

    private TrustList(Path directory) {
        this.directory = directory;
    }

    /** @param pkiDirectory the {@code pki-dir} of a server's security settings */
    public static TrustList of(Path pkiDirectory) {
        return new TrustList(pkiDirectory.toAbsolutePath().normalize());
    }

    public Path directory() {
        return directory;
    }

    public Path trustedDirectory() {
        return directory.resolve("trusted").resolve("certs");
    }

    public Path rejectedDirectory() {
        return directory.resolve("rejected");
    }

    /** Every certificate in the trusted and rejected directories; directories that do not exist hold none. */
    public Listing list() throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        read(State.TRUSTED, trustedDirectory(), entries, unreadable);
        read(State.REJECTED, rejectedDirectory(), entries, unreadable);
        return new Listing(List.copyOf(entries), List.copyOf(unreadable));
    }

    /**
     * Moves a rejected certificate to the trusted ones; a running Busbar connects at its next attempt.
     *
     * @return the certificate where it is now
     * @throws IOException if the file cannot be moved, or holds more than this one certificate
     */
    public Entry trust(Entry rejected) throws IOException {
        return move(rejected, State.TRUSTED, trustedDirectory());
    }

    /** Moves a trusted certificate to the rejected ones: Busbar no longer connects to that server. */
    public Entry reject(Entry trusted) throws IOException {
        return move(trusted, State.REJECTED, rejectedDirectory());
    }

    /** SHA-1 of the DER encoding, upper-case hex, as OPC UA names a certificate. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the thumbprint of " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * The subject, common name first, without the empty attributes self-signed OPC UA certificates
     * carry: {@code CN=Meters, O=Plant}.
     */
    public static String subject(X509Certificate certificate) {
        String rfc2253 = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        try {
            List<Rdn> rdns = new ArrayList<>(new LdapName(rfc2253).getRdns());
            Collections.reverse(rdns); // LdapName lists the last attribute first
            // the common name first, whichever end the certificate put it at (Milo's builder: the end)
            rdns.sort(Comparator.comparing(rdn -> !rdn.getType().equalsIgnoreCase("CN")));
            String subject = rdns.stream()
                    .filter(rdn -> !String.valueOf(rdn.getValue()).isEmpty())
                    .map(Rdn::toString)
                    .collect(Collectors.joining(", "));
            return subject.isEmpty() ? rfc2253 : subject;
        } catch (InvalidNameException e) {
            return rfc2253;
        }
    }

    /** Upper case, without the colons and spaces some tools put between the bytes. */
    public static String normalizeThumbprint(String thumbprint) {
        return thumbprint.replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT);
    }

    private Entry move(Entry entry, State to, Path targetDirectory) throws IOException {
        if (entry.state() == to) {
            return entry;
        }
        // judged from the listing, not by reading the file again: a server retrying against Busbar makes
        // Milo rewrite its rejected certificate in place, and a read during that sees an empty file
        if (entry.certificatesInFile() != 1) {
            throw new IOException(entry.file() + " holds " + entry.certificatesInFile() + " certificates; move it by hand");
        }
        Files.createDirectories(targetDirectory);
        Path target = targetDirectory.resolve(entry.thumbprint() + ".der");
        if (!Files.exists(target)) {
            // written in the PKI directory itself, which no trust list watches, then renamed into place:
            // the watcher must never read a half-written file (Milo's reads hidden files too)
            Path temporary = Files.createTempFile(directory, ".busbar-", ".tmp");
            try {
                Files.write(temporary, entry.certificate().getEncoded());
                moveAtomically(temporary, target);
            } catch (CertificateEncodingException e) {
                throw new IOException("cannot encode " + entry.file(), e);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        Files.delete(entry.file());
        return new Entry(to, entry.thumbprint(), entry.subject(), entry.notBefore(), entry.notAfter(), target,
                entry.certificate(), 1);
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void read(State state, Path directory, List<Entry> entries, List<String> unreadable)
            throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        List<Entry> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            // hidden files are not read by Milo's trust list either
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                try {
                    List<X509Certificate> inFile = decode(file);
                    for (X509Certificate certificate : inFile) {
                        found.add(new Entry(state, thumbprint(certificate), subject(certificate),
                                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), file,
                                certificate, inFile.size()));
                    }
                } catch (IOException e) {
                    unreadable.add(file + ": " + e.getMessage());
                }
            }
        }
        found.sort((a, b) -> a.subject().compareToIgnoreCase(b.subject()));
        entries.addAll(found);
    }

    /** DER or PEM, one certificate or several. */
    private static List<X509Certificate> decode(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IOException("not an X.509 certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException("not an X.509 certificate (" + e.getMessage() + ")", e);
        }
    }
}
