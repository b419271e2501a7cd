package io.busbar.bootstrap.federation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.CertificateUtil;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central broker's security manager: a site is who its TLS client certificate says it is.
 * The TLS acceptor has already checked the certificate against the trust store (signed by the
 * sites' CA, not expired); here its SHA-256 fingerprint must also be one that {@code central.sites}
 * lists, and the connection gets that site's user and role, which the per-address security
 * settings grant SEND on its own address only. What the site says as user name is ignored.
 * Busbar's own in-VM connections get the internal role.
 */
public final class SiteCertificates implements ActiveMQSecurityManager5 {

    private static final Logger log = LoggerFactory.getLogger(SiteCertificates.class);

    private final Map<String, String> siteByFingerprint;
    private final Set<String> refusedLogged = ConcurrentHashMap.newKeySet();

    public SiteCertificates(java.util.List<SiteIdentity> sites) {
        this.siteByFingerprint = sites.stream().flatMap(site -> site.fingerprints().stream()
                .map(print -> Map.entry(print, site.id()))).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The SHA-256 fingerprint of a certificate, upper-case hex pairs joined by colons (as keytool prints it). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** The site a connection's client certificate belongs to; empty for no certificate or an unlisted one. */
    Optional<String> siteOf(RemotingConnection connection) {
        X509Certificate[] chain = CertificateUtil.getCertsFromConnection(connection);
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        String print = fingerprint(chain[0]);
        String site = siteByFingerprint.get(print);
        if (site == null && refusedLogged.add(print)) {
            log.warn("Site listener: refused a certificate that central.sites does not list: subject '{}', SHA-256 {}"
                    + " (logged once per certificate)", chain[0].getSubjectX500Principal().getName(), print);
        }
        return Optional.ofNullable(site);
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection == null || connection.getTransportConnection() instanceof InVMConnection) {
            return subject(FederationLayout.INTERNAL_ROLE, FederationLayout.INTERNAL_ROLE);
        }
        return siteOf(connection).map(site -> subject(FederationLayout.siteUser(site), FederationLayout.siteUser(site)))
                .orElse(null);
    }

    private static Subject subject(String user, String role) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal(role));
        return subject;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null) {
            return false;
        }
        Set<String> held = subject.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName)
                .collect(Collectors.toSet());
        return roles.stream().anyMatch(role -> held.contains(role.getName()) && checkType.hasRole(role));
    }

    /** Never called by Artemis for an {@link ActiveMQSecurityManager5}; present for the older interface. */
    @Override
    public boolean validateUser(String user, String password) {
        return false;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }

}
