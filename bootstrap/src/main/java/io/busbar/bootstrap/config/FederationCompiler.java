package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.schema.CentralConfig;
import io.busbar.bootstrap.config.schema.ForwardConfig;
import io.busbar.bootstrap.federation.CentralListener;
import io.busbar.bootstrap.federation.FederationPlan;
import io.busbar.bootstrap.federation.SiteCertificates;
import io.busbar.bootstrap.federation.SiteIdentity;
import io.busbar.bootstrap.federation.SiteLink;
import io.busbar.bootstrap.federation.TlsStores;
import io.busbar.connectors.schema.Name;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code forward:} (site) and {@code central:} sections: the checks the schema cannot express
 * (store files, secrets, pairs that exist and belong to one site only, an embedded buffer) and
 * their compiled form.
 */
final class FederationCompiler {

    private static final Pattern FINGERPRINT = Pattern.compile("^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$");

    private final LocatedDocument document;
    private final Path baseDir;
    private final Secrets secrets;
    private final List<Problem> problems;

    FederationCompiler(LocatedDocument document, Path baseDir, Secrets secrets, List<Problem> problems) {
        this.document = document;
        this.baseDir = baseDir;
        this.secrets = secrets;
        this.problems = problems;
    }

    /** Site pairs of the central, each with the site that owns it. */
    static Map<String, String> sitePairs(JsonNode root) {
        Map<String, String> owners = new LinkedHashMap<>();
        root.path("central").path("sites").fields().forEachRemaining(site -> site.getValue().path("pairs")
                .forEach(pair -> owners.putIfAbsent(pair.asText(), site.getKey())));
        return owners;
    }

    /** Pairs forwarded to a central: every source pair unless forward.pairs names some. */
    static List<String> forwardedPairs(JsonNode root) {
        JsonNode forward = root.path("forward");
        if (!forward.isObject()) {
            return List.of();
        }
        List<String> pairs = new ArrayList<>();
        if (forward.path("pairs").isArray()) {
            forward.get("pairs").forEach(pair -> pairs.add(pair.asText()));
        } else {
            root.path("sources").fieldNames().forEachRemaining(pairs::add);
        }
        return pairs;
    }

    void check(JsonNode root) {
        boolean embedded = !root.path("buffer").has("url");
        JsonNode forward = root.path("forward");
        if (forward.isObject()) {
            if (!embedded) {
                problems.add(document.problemAt("/forward", "forward needs the embedded buffer (the bridge runs in"
                        + " it): remove buffer.url, or bridge from your own Artemis broker"));
            }
            checkStores(forward, "/forward");
            JsonNode pairs = forward.path("pairs");
            for (int i = 0; i < pairs.size(); i++) {
                if (!root.path("sources").has(pairs.get(i).asText())) {
                    problems.add(document.problemAt("/forward/pairs/" + i, "unknown source pair '" + pairs.get(i).asText() + "'"));
                }
            }
        }
        JsonNode central = root.path("central");
        if (central.isObject()) {
            if (!embedded) {
                problems.add(document.problemAt("/central", "central needs the embedded buffer (the site listener"
                        + " runs in it): remove buffer.url"));
            }
            checkStores(central, "/central");
            Map<String, String> owners = new HashMap<>();
            Map<String, String> certificateOwners = new HashMap<>();
            central.path("sites").fields().forEachRemaining(site -> {
                String at = "/central/sites/" + site.getKey();
                certificate(site.getValue().path("certificate"), at + "/certificate").ifPresent(print -> {
                    String other = certificateOwners.putIfAbsent(print, site.getKey());
                    if (other != null) {
                        problems.add(document.problemAt(at + "/certificate", "site '" + other + "' has the same certificate:"
                                + " each site needs its own"));
                    }
                });
                JsonNode pairs = site.getValue().path("pairs");
                for (int i = 0; i < pairs.size(); i++) {
                    String pair = pairs.get(i).asText();
                    String other = owners.putIfAbsent(pair, site.getKey());
                    if (other != null && !other.equals(site.getKey())) {
                        problems.add(document.problemAt(at + "/pairs/" + i, "pair '" + pair + "' belongs to site '" + other
                                + "' already: a pair has one site"));
                    } else if (root.path("sources").has(pair)) {
                        problems.add(document.problemAt(at + "/pairs/" + i, "pair '" + pair + "' is a source pair of this"
                                + " Busbar: a site's pair needs a name of its own"));
                    }
                }
            });
        }
    }

    private void checkStores(JsonNode section, String at) {
        for (String key : List.of("key-store", "trust-store")) {
            JsonNode file = section.path(key);
            if (file.isTextual() && !Files.isRegularFile(baseDir.resolve(file.asText()))) {
                problems.add(document.problemAt(at + "/" + key, "file not found: " + baseDir.resolve(file.asText()).normalize()));
            }
        }
        for (String key : List.of("key-store-password", "trust-store-password")) {
            if (section.path(key).isTextual()) {
                secrets.resolve(section.get(key).asText(), at + "/" + key);
            }
        }
    }

    private Optional<String> certificate(JsonNode value, String at) {
        return value.isTextual() ? certificate(value.asText(), at) : Optional.empty();
    }

    /** A fingerprint as written, or the fingerprint of the certificate file named; empty after a problem. */
    private Optional<String> certificate(String text, String at) {
        if (FINGERPRINT.matcher(text).matches()) {
            return Optional.of(text.toUpperCase(java.util.Locale.ROOT));
        }
        Path file = baseDir.resolve(text);
        if (!Files.isRegularFile(file)) {
            problems.add(document.problemAt(at, "must be a certificate file (PEM or DER) or a SHA-256 fingerprint"
                    + " (32 hex pairs separated by ':'); file not found: " + file.normalize()));
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Optional.of(SiteCertificates.fingerprint(certificate));
        } catch (IOException | CertificateException | ClassCastException e) {
            problems.add(document.problemAt(at, "not an X.509 certificate (PEM or DER): " + file.normalize()));
            return Optional.empty();
        }
    }

    /** The plan of sections that passed the schema and the checks, from their bound records. */
    FederationPlan compile(JsonNode root) {
        Optional<SiteLink> forward = section(root, "forward", ForwardConfig.class).map(f -> new SiteLink(f.site().value(),
                f.central().host(), f.central().port(),
                stores(f.keyStore(), f.keyStorePassword(), f.trustStore(), f.trustStorePassword()), forwardedPairs(root),
                f.compression()));
        Optional<CentralListener> central = section(root, "central", CentralConfig.class).map(c -> {
            List<SiteIdentity> sites = new ArrayList<>();
            c.sites().forEach((site, identity) -> sites.add(new SiteIdentity(site.value(),
                    Set.of(certificate(identity.certificate(), null).orElseThrow()),
                    identity.pairs().stream().map(Name::value).toList())));
            return new CentralListener(c.listen().host(), c.listen().port(),
                    stores(c.keyStore(), c.keyStorePassword(), c.trustStore(), c.trustStorePassword()), sites);
        });
        return new FederationPlan(forward, central);
    }

    private static <T> Optional<T> section(JsonNode root, String key, Class<T> record) {
        return root.path(key).isObject() ? Optional.of(ConfigBinding.bind(root.get(key), record)) : Optional.empty();
    }

    private TlsStores stores(String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {
        return new TlsStores(baseDir.resolve(keyStore).normalize(), secrets.resolve(keyStorePassword, null),
                baseDir.resolve(trustStore).normalize(), secrets.resolve(trustStorePassword, null));
    }
}
