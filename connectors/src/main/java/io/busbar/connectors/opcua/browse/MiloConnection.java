package io.busbar.connectors.opcua.browse;

import io.busbar.connectors.opcua.ClientFactory;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.StatusCodeNames;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;

/**
 * One connected Milo client, made exactly as {@link io.busbar.connectors.opcua.OpcUaSource} makes
 * its own: by {@code io.busbar.connectors.opcua.ClientFactory} (endpoint discovery, the advertised
 * host and port replaced by the configured ones, security policy, client certificate and trust list
 * in the PKI directory, user identity, timeouts).
 */
final class MiloConnection implements AutoCloseable {

    private final OpcUaSourceOptions options;
    private final ClientFactory factory;
    private final OpcUaClient client;

    private MiloConnection(OpcUaSourceOptions options, ClientFactory factory, OpcUaClient client) {
        this.options = options;
        this.factory = factory;
        this.client = client;
    }

    /** Connects and opens a session; fails with a one-line reason. */
    static MiloConnection open(OpcUaSourceOptions options, String sessionName) throws BrowseException {
        ClientFactory factory = newFactory(options, sessionName);
        long timeoutMillis = options.connectTimeout().plus(options.requestTimeout()).toMillis();
        OpcUaClient client = null;
        try {
            client = await(newClient(factory), timeoutMillis);
            await(client.connectAsync(), timeoutMillis + options.requestTimeout().toMillis());
            return new MiloConnection(options, factory, client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(client, factory, options);
            throw new BrowseException("interrupted while connecting to " + options.endpointUrl(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            closeQuietly(client, factory, options);
            String reason = describe(e);
            // an untrusted certificate's reason names the command already
            throw new BrowseException("cannot connect to " + options.endpointUrl() + ": " + reason
                    + (reason.contains("busbar pki trust") ? "" : securityHint(options)), e);
        }
    }

    OpcUaClient client() {
        return client;
    }

    /** The endpoint the session uses: the configured one, with the server's path if it was looked up. */
    String endpointUrl() {
        return factory.resolvedEndpointUrl().orElse(options.endpointUrl());
    }

    @Override
    public void close() {
        closeQuietly(client, factory, options);
    }

    static String describe(Throwable failure) {
        return StatusCodeNames.describe(failure);
    }

    static String statusName(long statusCode) {
        return StatusCodeNames.describe(statusCode);
    }

    private static String securityHint(OpcUaSourceOptions options) {
        if (!options.securityPolicy().isSecured()) {
            return "";
        }
        return " (a refused server certificate is kept in " + options.pkiDirectory().resolve("rejected")
                + "; `busbar pki list --pki-dir " + options.pkiDirectory() + "` shows it and `busbar pki trust` trusts it)";
    }

    private static <T> T await(CompletableFuture<T> future, long timeoutMillis)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        }
    }

    private static void closeQuietly(OpcUaClient client, AutoCloseable factory, OpcUaSourceOptions options) {
        if (client != null) {
            try {
                client.disconnectAsync().get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // the session is gone either way
            }
        }
        try {
            factory.close();
        } catch (Exception e) {
            // only the trust list's directory watcher is released here
        }
    }

    private static ClientFactory newFactory(OpcUaSourceOptions options, String sessionName) throws BrowseException {
        try {
            return new ClientFactory(options, sessionName);
        } catch (RuntimeException e) {
            // e.g. an unusable PKI directory of a secured source
            throw new BrowseException("cannot connect to " + options.endpointUrl() + ": " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<OpcUaClient> newClient(ClientFactory factory) {
        return factory.newClient();
    }
}
