package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfig;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfigBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a Milo client for one server from the options: asks the server for its endpoints, picks the
 * one with the configured security policy and identity, and configures timeouts and certificates.
 *
 * <p>The endpoint URL the server advertises is replaced by the configured host and port: servers
 * often advertise a host name that does not resolve where Busbar runs.
 */
public final class ClientFactory implements AutoCloseable {

    /**
     * Policy None has no trust list to check a server certificate against; Milo's default validator
     * would skip the check too, only with a warning on every connect.
     */
    private static final CertificateValidator UNCHECKED = (chain, applicationUri, hostnames) -> {};
    private static final Logger LOG = LoggerFactory.getLogger(ClientFactory.class);
    /** Where servers that route by path conventionally answer GetEndpoints (Milo's discovery-only endpoints). */
    static final String DISCOVERY_PATH = "/discovery";
    /** Configured and resolved URLs already logged: once per process, not per retry or client. */
    private static final Set<String> PATHS_EXPLAINED = ConcurrentHashMap.newKeySet();

    private final OpcUaSourceOptions options;
    private final String sessionName;
    /** Null for security policy None. */
    private final ClientCertificates certificates;
    private final CertificateValidator serverCertificates;
    /** Written by the discovery callback, read by the owner after the client was created. */
    private volatile String resolvedEndpointUrl;

    /**
     * @throws IllegalStateException if the PKI directory of a secured source cannot be read or
     *     initialised
     */
    public ClientFactory(OpcUaSourceOptions options, String sessionName) {
        this.options = options;
        this.sessionName = sessionName;
        if (options.securityPolicy().isSecured()) {
            BouncyCastle.register();
            this.certificates = loadCertificates(options);
            this.serverCertificates = certificates.validator(options.endpointUrl());
        } else {
            this.certificates = null;
            this.serverCertificates = UNCHECKED;
            if (options.hasCredentials()) {
                LOG.warn("{}: user {} logs in over security policy None; the server certificate that"
                        + " protects the password cannot be checked", options.endpointUrl(), options.username());
            }
        }
    }

    /**
     * Asks the server for its endpoints, picks the one with the configured security policy (and,
     * of several, the one at the configured path), checks a secured server's certificate against the
     * trust list, and creates a client for that endpoint; the client is not connected yet.
     *
     * <p>A URL without the server's path ({@code opc.tcp://host:4840} for a server at {@code
     * .../UA/Meters}) works with servers that answer GetEndpoints there or at its discovery endpoint
     * ({@code /discovery} below the URL): the session then uses the path the server advertises. A
     * server that answers neither fails with a message that says what to configure.
     */
    public CompletableFuture<OpcUaClient> newClient() {
        return endpoints().thenCompose(endpoints -> {
            try {
                EndpointDescription endpoint = selectEndpoint(endpoints);
                checkServerCertificate(endpoint);
                OpcTcpClientTransportConfigBuilder transport = OpcTcpClientTransportConfig.newBuilder();
                configureTransport(transport);
                return CompletableFuture.completedFuture(
                        new OpcUaClient(clientConfig(endpoint), new OpcTcpClientTransport(transport.build())));
            } catch (UaException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * The server's endpoints from the configured URL; when the server refuses that URL's path
     * (Bad_TcpEndpointUrlInvalid: it routes connections by path, as Milo does), from its discovery
     * endpoint below it, the conventional {@code /discovery}.
     */
    private CompletableFuture<List<EndpointDescription>> endpoints() {
        String url = options.endpointUrl();
        String discoveryUrl = url.replaceAll("/+$", "") + DISCOVERY_PATH;
        return DiscoveryClient.getEndpoints(url, this::configureTransport).exceptionallyCompose(failure -> {
            if (!refusesUrl(failure) || url.endsWith(DISCOVERY_PATH)) {
                return CompletableFuture.failedFuture(failure);
            }
            return DiscoveryClient.getEndpoints(discoveryUrl, this::configureTransport).exceptionallyCompose(
                    second -> CompletableFuture.failedFuture(explainRefusedUrl(discoveryUrl)));
        });
    }

    /** The endpoint URL the last client was created for: the configured one, with the server's path. */
    public Optional<String> resolvedEndpointUrl() {
        return Optional.ofNullable(resolvedEndpointUrl);
    }

    /** Releases the trust list's directory watcher of a secured source. */
    @Override
    public void close() {
        if (certificates != null) {
            try {
                certificates.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void configureTransport(OpcTcpClientTransportConfigBuilder transport) {
        transport.setConnectTimeout(millis(options.connectTimeout()));
    }

    private EndpointDescription selectEndpoint(List<EndpointDescription> endpoints) throws UaException {
        OpcUaSecurityPolicy policy = options.securityPolicy();
        UserTokenType tokenType = options.hasCredentials() ? UserTokenType.UserName : UserTokenType.Anonymous;
        String configuredPath = path(options.endpointUrl());
        List<EndpointDescription> matching = endpoints.stream()
                .filter(e -> policy.miloPolicy().getUri().equals(e.getSecurityPolicyUri()))
                .filter(e -> policy.securityMode() == e.getSecurityMode())
                .filter(e -> tokenPolicies(e).anyMatch(token -> token.getTokenType() == tokenType))
                .toList();
        EndpointDescription endpoint = matching.stream()
                .filter(e -> path(e.getEndpointUrl()).equals(configuredPath))
                .findFirst()
                .or(() -> matching.stream().findFirst())
                .orElseThrow(() -> new UaException(StatusCodes.Bad_ConfigurationError,
                        "the server offers no endpoint with security policy " + policy + " and " + tokenType
                                + " identity; it offers " + describe(endpoints)));
        EndpointDescription updated = EndpointUtil.updateUrl(
                endpoint, EndpointUtil.getHost(options.endpointUrl()), EndpointUtil.getPort(options.endpointUrl()));
        if (!path(updated.getEndpointUrl()).equals(configuredPath)
                && PATHS_EXPLAINED.add(options.endpointUrl() + " " + updated.getEndpointUrl())) {
            LOG.info("{}: the server's endpoint for {} is at {}; connecting there (configure that URL to skip the"
                    + " lookup)", options.endpointUrl(), policy, updated.getEndpointUrl());
        }
        resolvedEndpointUrl = updated.getEndpointUrl();
        return updated;
    }

    /**
     * Checked before the secure channel is opened, against the certificate the server advertises:
     * refused there, Milo's channel would log the refusal as an ERROR with a stack trace on every
     * attempt. The channel still checks the certificate the server actually presents.
     */
    private void checkServerCertificate(EndpointDescription endpoint) throws UaException {
        if (certificates == null || endpoint.getServerCertificate() == null || endpoint.getServerCertificate().isNull()) {
            return;
        }
        List<X509Certificate> chain = CertificateUtil.decodeCertificates(endpoint.getServerCertificate().bytesOrEmpty());
        if (!chain.isEmpty()) {
            serverCertificates.validateCertificateChain(chain, null, null);
        }
    }

    private static boolean refusesUrl(Throwable failure) {
        return UaException.extract(failure)
                .filter(e -> e.getStatusCode().value() == StatusCodes.Bad_TcpEndpointUrlInvalid)
                .isPresent();
    }

    /** The server answered neither at the configured URL nor at its discovery endpoint. */
    private UaException explainRefusedUrl(String discoveryUrl) {
        String url = options.endpointUrl();
        String path = path(url);
        String message = path.isEmpty()
                ? "the server refuses " + url + " because it has no path, and lists no endpoints there nor at "
                        + discoveryUrl + "; configure the server's full endpoint URL, e.g. " + url.replaceAll("/+$", "")
                        + "/UA/Server, as the server's configuration or an OPC UA client such as UaExpert shows it"
                : "the server has no endpoint at path " + path + " and lists no endpoints there nor at " + discoveryUrl
                        + "; check the path of " + url + " against the server's configuration";
        return new UaException(StatusCodes.Bad_TcpEndpointUrlInvalid, message);
    }

    /** The URL's path without trailing slashes: "" for {@code opc.tcp://host:4840/}. */
    private static String path(String endpointUrl) {
        String path = EndpointUtil.getPath(endpointUrl);
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    private OpcUaClientConfig clientConfig(EndpointDescription endpoint) {
        OpcUaClientConfigBuilder config = OpcUaClientConfig.builder()
                .setEndpoint(endpoint)
                .setApplicationName(LocalizedText.english("Busbar"))
                .setApplicationUri(ClientCertificates.APPLICATION_URI)
                .setProductUri("urn:busbar")
                .setSessionName(() -> sessionName)
                .setRequestTimeout(millis(options.requestTimeout()))
                .setKeepAliveInterval(millis(options.keepAliveInterval()))
                .setKeepAliveTimeout(millis(options.keepAliveTimeout()))
                .setCertificateValidator(serverCertificates)
                .setIdentityProvider(options.hasCredentials()
                        // Milo's two-argument constructor would skip checking the certificate that
                        // encrypts the password; the byte supplier lets Milo wipe the copy it uses
                        ? new UsernameProvider(options.username(),
                                () -> options.password().getBytes(StandardCharsets.UTF_8),
                                serverCertificates, policies -> policies.get(0))
                        : new AnonymousProvider());
        if (certificates != null) {
            config.setKeyPair(certificates.keyPair())
                    .setCertificate(certificates.certificate())
                    .setCertificateChain(new X509Certificate[] {certificates.certificate()});
        }
        return config.build();
    }

    private static Stream<UserTokenPolicy> tokenPolicies(EndpointDescription endpoint) {
        return Stream.of(Objects.requireNonNullElse(endpoint.getUserIdentityTokens(), new UserTokenPolicy[0]));
    }

    private static String describe(List<EndpointDescription> endpoints) {
        return endpoints.stream()
                .map(e -> e.getEndpointUrl() + " "
                        + e.getSecurityPolicyUri().substring(e.getSecurityPolicyUri().lastIndexOf('#') + 1)
                        + "/" + e.getSecurityMode()
                        + tokenPolicies(e).map(UserTokenPolicy::getTokenType).toList())
                .collect(Collectors.joining(", "));
    }

    private static ClientCertificates loadCertificates(OpcUaSourceOptions options) {
        try {
            return ClientCertificates.loadOrCreate(options.pkiDirectory());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the PKI directory " + options.pkiDirectory(), e);
        }
    }

    private static UInteger millis(Duration duration) {
        return uint(duration.toMillis());
    }
}
