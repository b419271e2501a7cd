package io.busbar.connectors.support;

import java.util.Set;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigBuilder;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * The plain Milo server under the tests' scripted address spaces: one unsecured endpoint on
 * localhost, anonymous users, certificates in memory. The test adds its namespace (and limits).
 */
public final class AnonymousTestServer {

    private AnonymousTestServer() {
    }

    /** The configuration of server {@code name} (application URI {@code urn:busbar:test:<name>-server}), to finish. */
    public static OpcUaServerConfigBuilder config(String name, int port, String path) {
        return OpcUaServerConfig.builder()
                .setApplicationName(LocalizedText.english(name))
                .setApplicationUri("urn:busbar:test:" + name + "-server")
                .setProductUri("urn:busbar:test")
                .setEndpoints(Set.of(EndpointConfig.newBuilder()
                        .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                        .setBindAddress("localhost")
                        .setHostname("localhost")
                        .setBindPort(port)
                        .setPath(path)
                        .setSecurityPolicy(SecurityPolicy.None)
                        .setSecurityMode(MessageSecurityMode.None)
                        .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                        .build()))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .setCertificateManager(new DefaultCertificateManager(new MemoryCertificateQuarantine()));
    }

    /** A server on {@code config} over OPC UA TCP, not started yet. */
    public static OpcUaServer create(OpcUaServerConfig config) {
        return new OpcUaServer(config,
                profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    }
}
