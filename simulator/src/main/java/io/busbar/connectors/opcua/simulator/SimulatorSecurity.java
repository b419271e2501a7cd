package io.busbar.connectors.opcua.simulator;

import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.LinkedHashSet;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * The simulator's endpoints, certificate and user check. Security policy None with anonymous access
 * is always offered. Optionally it adds Basic256Sha256 and Aes256_Sha256_RsaPss (sign and encrypt)
 * with a self-signed certificate that stays the same across restarts, so a client trusts it once,
 * and it accepts one user name and password.
 *
 * <p>Being a simulator, it accepts every client certificate; the client side is what is tested.
 */
final class SimulatorSecurity {

    private static final int RSA_KEY_BITS = 2048;
    static final String DISCOVERY_PATH = "/discovery";

    private final String applicationUri;
    private final String username;
    private final String password;
    /** Null when only policy None is offered. */
    private final KeyPair keyPair;
    private final X509Certificate certificate;

    SimulatorSecurity(boolean secured, String username, String password, String applicationUri, String hostname) {
        this.applicationUri = applicationUri;
        this.username = username;
        this.password = password;
        if (secured) {
            // Aes256_Sha256_RsaPss signs with "SHA256withRSA/PSS", which only BouncyCastle offers
            if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
                Security.addProvider(new BouncyCastleProvider());
            }
            try {
                keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(RSA_KEY_BITS);
                certificate = new SelfSignedCertificateBuilder(keyPair)
                        .setCommonName("Busbar SCADA simulator")
                        .setOrganization("Busbar")
                        .setApplicationUri(applicationUri)
                        .addDnsName(hostname)
                        .setValidityPeriod(Period.ofYears(1))
                        .build();
            } catch (Exception e) {
                throw new IllegalStateException("could not create the simulator's certificate", e);
            }
        } else {
            keyPair = null;
            certificate = null;
        }
    }

    /** The server certificate clients must trust, or null when not secured. */
    X509Certificate certificate() {
        return certificate;
    }

    Set<EndpointConfig> endpoints(String hostname, int port, String path) {
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(endpoint(hostname, port, path, SecurityPolicy.None, MessageSecurityMode.None));
        // discovery only (Milo serves nothing else on a path ending in /discovery), as servers that
        // route by path offer it: a client given the URL without the path finds the endpoints there
        endpoints.add(endpoint(hostname, port, DISCOVERY_PATH, SecurityPolicy.None, MessageSecurityMode.None));
        if (certificate != null) {
            endpoints.add(endpoint(hostname, port, path, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt));
            endpoints.add(endpoint(hostname, port, path, SecurityPolicy.Aes256_Sha256_RsaPss, MessageSecurityMode.SignAndEncrypt));
        }
        return endpoints;
    }

    CertificateManager certificateManager() {
        MemoryCertificateQuarantine quarantine = new MemoryCertificateQuarantine();
        if (certificate == null) {
            return new DefaultCertificateManager(quarantine);
        }
        RsaSha256CertificateFactory fixedCertificate = new RsaSha256CertificateFactory() {
            @Override
            protected KeyPair createRsaSha256KeyPair() {
                return keyPair;
            }

            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
                return new X509Certificate[] {certificate};
            }
        };
        CertificateValidator acceptEveryClient = (chain, clientApplicationUri, hostnames) -> {};
        try {
            return new DefaultCertificateManager(quarantine, DefaultApplicationGroup.createAndInitialize(
                    new MemoryTrustListManager(), new MemoryCertificateStore(), fixedCertificate, acceptEveryClient));
        } catch (Exception e) {
            throw new IllegalStateException("could not set up the simulator's certificate group for " + applicationUri, e);
        }
    }

    IdentityValidator identityValidator() {
        if (username == null) {
            return AnonymousIdentityValidator.INSTANCE;
        }
        return new CompositeValidator(AnonymousIdentityValidator.INSTANCE, new UsernameIdentityValidator(
                challenge -> username.equals(challenge.getUsername()) && password.equals(challenge.getPassword())));
    }

    private EndpointConfig endpoint(
            String hostname, int port, String path, SecurityPolicy policy, MessageSecurityMode mode) {
        EndpointConfig.Builder endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(hostname)
                .setHostname(hostname)
                .setBindPort(port)
                .setPath(path)
                .setSecurityPolicy(policy)
                .setSecurityMode(mode)
                .setCertificate(certificate)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        if (username != null) {
            endpoint.addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        }
        return endpoint.build();
    }
}
