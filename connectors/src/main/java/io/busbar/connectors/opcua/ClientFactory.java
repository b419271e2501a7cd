package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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

    private final OpcUaSourceOptions options;
    private final String sessionName;
    /** Null for security policy None. */
    private final ClientCertificates certificates;

    /**
     * @throws IllegalStateException if the PKI directory of a secured source cannot be read or
     *     initialised
     */
    public ClientFactory(OpcUaSourceOptions options, String sessionName) {
        this.options = options;
        this.sessionName = sessionName;
        if (options.securityPolicy().isSecured()) {
            registerBouncyCastle();
            this.certificates = loadCertificates(options);
        } else {
            this.certificates = null;
            if (options.hasCredentials()) {
                LOG.warn("{}: user {} logs in over security policy None; the server certificate that"
                        + " protects the password cannot be checked", options.endpointUrl(), options.username());
            }
        }
    }

    /** Discovers the endpoint and creates a client for it; the client is not connected yet. */
    public CompletableFuture<OpcUaClient> newClient() {
        return DiscoveryClient.getEndpoints(options.endpointUrl(), this::configureTransport)
                .thenCompose(endpoints -> {
                    try {
                        EndpointDescription endpoint = selectEndpoint(endpoints);
                        OpcTcpClientTransportConfigBuilder transport = OpcTcpClientTransportConfig.newBuilder();
                        configureTransport(transport);
                        return CompletableFuture.completedFuture(
                                new OpcUaClient(clientConfig(endpoint), new OpcTcpClientTransport(transport.build())));
                    } catch (UaException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                });
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
        EndpointDescription endpoint = endpoints.stream()
                .filter(e -> policy.miloPolicy().getUri().equals(e.getSecurityPolicyUri()))
                .filter(e -> policy.securityMode() == e.getSecurityMode())
                .filter(e -> tokenPolicies(e).anyMatch(token -> token.getTokenType() == tokenType))
                .findFirst()
                .orElseThrow(() -> new UaException(StatusCodes.Bad_ConfigurationError,
                        "the server offers no endpoint with security policy " + policy + " and " + tokenType
                                + " identity; it offers " + describe(endpoints)));
        return EndpointUtil.updateUrl(
                endpoint, EndpointUtil.getHost(options.endpointUrl()), EndpointUtil.getPort(options.endpointUrl()));
    }

    private OpcUaClientConfig clientConfig(EndpointDescription endpoint) {
        CertificateValidator serverCertificates = certificates != null ? certificates.validator() : UNCHECKED;
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
                .map(e -> e.getSecurityPolicyUri().substring(e.getSecurityPolicyUri().lastIndexOf('#') + 1)
                        + "/" + e.getSecurityMode()
                        + tokenPolicies(e).map(UserTokenPolicy::getTokenType).toList())
                .collect(Collectors.joining(", "));
    }

    /**
     * Milo signs Aes256_Sha256_RsaPss with "SHA256withRSA/PSS", which only the BouncyCastle provider
     * (a Milo dependency) offers.
     */
    private static void registerBouncyCastle() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
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
