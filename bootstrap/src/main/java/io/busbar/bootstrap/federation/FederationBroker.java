package io.busbar.bootstrap.federation;

import io.busbar.bootstrap.buffer.BrokerExtension;
import io.busbar.routes.BufferLayout;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.BridgeConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.DivertConfiguration;
import org.apache.activemq.artemis.core.config.TransformerConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ComponentConfigurationRoutingType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * Site-to-central in the embedded broker, with Artemis' own pieces only.
 *
 * <p>Site: an outbox queue on the readings address (the forwarded pairs' readings, kept in the
 * site's journal until the central has them) and a core bridge that drains it over TLS with this
 * site's client certificate, reconnecting for ever, with duplicate detection (a message resent
 * after a lost acknowledgement is dropped by the central's duplicate-id cache) and deflated bodies.
 * The site opens no listening port for it. A second bridge on the same connector carries the
 * site's status reports ({@link SiteReporter}) from a queue of their own.
 *
 * <p>Central: a TLS acceptor that requires a client certificate; security on, with
 * {@link SiteCertificates} naming the site from the certificate and per-address roles letting a
 * site send to its own address only; {@link SiteWriteGuard} refusing pairs that are not the
 * site's; one divert per site moving its readings (inflated) to the readings address, where the
 * central's targets' queues pick them up like any pair's; per site a report address without a
 * queue, whose reports the write guard hands to {@link SiteReports}.
 */
public final class FederationBroker implements BrokerExtension {

    /** Bridge reconnects: first after 1 s, doubling up to 30 s, for ever. */
    static final long RETRY_INTERVAL_MS = 1_000;
    static final double RETRY_MULTIPLIER = 2.0;
    static final long MAX_RETRY_INTERVAL_MS = 30_000;
    /**
     * The report bridge backs off to 5 s only, so the central hears from a site soon after its link
     * returns (not always before the readings bridge: the reports made during the outage wait in
     * order and tell the backlog anyway). It costs one TLS attempt per 5 s while the link is down.
     */
    static final long REPORT_MAX_RETRY_INTERVAL_MS = 5_000;
    /** Reports waiting at a site for the central: the first hour of an outage; later ones are dropped until the link is back. */
    static final long REPORTS_KEPT = Duration.ofHours(1).toSeconds() / SiteReporter.INTERVAL.toSeconds();
    /**
     * A silent cut (no RST, as on the internet) is noticed when nothing, not even a ping, arrived
     * for this long; the bridge then reconnects. Artemis' default (60 s TTL) is meant for LANs.
     */
    static final long CLIENT_FAILURE_CHECK_MS = 5_000;
    static final long CONNECTION_TTL_MS = 20_000;
    /** Sent but not yet confirmed bytes the bridge may have in flight; also bounds the resend after a reconnect. */
    static final int CONFIRMATION_WINDOW_BYTES = 1024 * 1024;
    /** Per site address: bridge duplicate ids remembered, enough for minutes of one site's messages. */
    static final int ID_CACHE_SIZE = 50_000;
    static final String TLS_PROTOCOLS = "TLSv1.3,TLSv1.2";

    private final FederationPlan plan;
    private final SiteTraffic traffic;
    private final SiteReports reports;
    private final OutboxReadings outboxReadings;

    public FederationBroker(FederationPlan plan, Clock clock) {
        this.plan = plan;
        List<String> sites = plan.central().map(c -> c.sites().stream().map(SiteIdentity::id).toList()).orElse(List.of());
        this.traffic = new SiteTraffic(clock, sites);
        this.reports = new SiteReports(clock, sites);
        this.outboxReadings = new OutboxReadings(plan.forward().map(SiteLink::pairs).orElse(List.of()));
    }

    /** At the central: what each site delivered. */
    public SiteTraffic traffic() {
        return traffic;
    }

    /** At the central: what each site last reported about its own backlog. */
    public SiteReports reports() {
        return reports;
    }

    /** At a site: the readings waiting in the outbox, when known. */
    OutboxReadings outboxReadings() {
        return outboxReadings;
    }

    @Override
    public void configure(Configuration config) {
        plan.forward().ifPresent(link -> site(config, link));
        plan.central().ifPresent(central -> central(config, central));
    }

    @Override
    public Optional<ActiveMQSecurityManager> securityManager() {
        return plan.central().map(central -> new SiteCertificates(central.sites()));
    }

    private void site(Configuration config, SiteLink link) {
        CoreAddressConfiguration readings = config.getAddressConfigurations().stream()
                .filter(address -> address.getName().equals(BufferLayout.READINGS_ADDRESS)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the readings address is configured first"));
        readings.addQueueConfiguration(QueueConfiguration.of(FederationLayout.OUTBOX_QUEUE)
                .setAddress(BufferLayout.READINGS_ADDRESS)
                .setRoutingType(RoutingType.MULTICAST)
                .setFilterString(FederationLayout.outboxFilter(link.pairs()))
                .setDurable(true));
        Map<String, Object> params = tls(link.tls());
        params.put(TransportConstants.HOST_PROP_NAME, link.host());
        params.put(TransportConstants.PORT_PROP_NAME, link.port());
        params.put(TransportConstants.VERIFY_HOST_PROP_NAME, true);
        config.addConnectorConfiguration(FederationLayout.CENTRAL_CONNECTOR,
                new TransportConfiguration(NettyConnectorFactory.class.getName(), params, FederationLayout.CENTRAL_CONNECTOR));
        BridgeConfiguration bridge = bridge(FederationLayout.BRIDGE, link)
                .setQueueName(FederationLayout.OUTBOX_QUEUE)
                .setForwardingAddress(FederationLayout.siteAddress(link.site()))
                .setUseDuplicateDetection(true)
                .setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES)
                // chunks stay below this on purpose: never the large-message path on the link either
                .setMinLargeMessageSize(BufferLayout.MIN_LARGE_MESSAGE_SIZE);
        if (link.compression()) {
            bridge.setTransformerConfiguration(new TransformerConfiguration(DeflateBody.class.getName()));
        }
        config.getBridgeConfigurations().add(bridge);
        config.registerBrokerPlugin(outboxReadings);
        // Reports get a bridge of their own: behind the readings' backlog they would arrive only
        // after it, telling the central nothing while it matters. Same connector, port and certificate.
        // In order, not last-value: after an outage the central learns how the backlog grew, even
        // when the readings bridge drained it before the report bridge was back.
        config.addAddressConfiguration(new CoreAddressConfiguration().setName(FederationLayout.REPORT_QUEUE)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(FederationLayout.REPORT_QUEUE)
                        .setAddress(FederationLayout.REPORT_QUEUE)
                        .setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true)));
        config.addAddressSetting(FederationLayout.REPORT_QUEUE, new AddressSettings()
                .setMaxSizeMessages(REPORTS_KEPT)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.DROP));
        config.getBridgeConfigurations().add(bridge(FederationLayout.REPORT_BRIDGE, link)
                .setQueueName(FederationLayout.REPORT_QUEUE)
                .setForwardingAddress(FederationLayout.reportAddress(link.site()))
                .setMaxRetryInterval(REPORT_MAX_RETRY_INTERVAL_MS)
                // a report sent twice says the same twice
                .setUseDuplicateDetection(false));
    }

    /** A bridge to the central with what both of the site's bridges share. */
    private static BridgeConfiguration bridge(String name, SiteLink link) {
        return new BridgeConfiguration(name)
                .setStaticConnectors(List.of(FederationLayout.CENTRAL_CONNECTOR))
                .setHA(false)
                // Without a user the bridge logs in as Artemis' cluster user, and a refusal of that
                // stops it for good. The central ignores both values: the certificate says who it is.
                .setUser(link.site())
                .setPassword("")
                .setInitialConnectAttempts(-1)
                .setReconnectAttempts(-1)
                .setRetryInterval(RETRY_INTERVAL_MS)
                .setRetryIntervalMultiplier(RETRY_MULTIPLIER)
                .setMaxRetryInterval(MAX_RETRY_INTERVAL_MS)
                .setClientFailureCheckPeriod(CLIENT_FAILURE_CHECK_MS)
                .setConnectionTTL(CONNECTION_TTL_MS)
                .setRoutingType(ComponentConfigurationRoutingType.PASS);
    }

    private void central(Configuration config, CentralListener central) {
        Map<String, Object> params = tls(central.tls());
        params.put(TransportConstants.HOST_PROP_NAME, central.host());
        params.put(TransportConstants.PORT_PROP_NAME, central.port());
        params.put(TransportConstants.NEED_CLIENT_AUTH_PROP_NAME, true);
        params.put(TransportConstants.PROTOCOLS_PROP_NAME, "CORE");
        config.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(), params,
                FederationLayout.SITE_ACCEPTOR));
        config.setSecurityEnabled(true);
        // Artemis lets the cluster user in without asking the security manager; its default password is public
        config.setClusterPassword(HexFormat.of().formatHex(new SecureRandom().generateSeed(32)));
        // who a connection is depends on its certificate, not on a user name a cache could key on
        config.setAuthenticationCacheSize(0);
        config.setIDCacheSize(ID_CACHE_SIZE);
        Role internal = allOf(FederationLayout.INTERNAL_ROLE);
        config.putSecurityRoles("#", Set.of(internal));
        for (SiteIdentity site : central.sites()) {
            String address = FederationLayout.siteAddress(site.id());
            Role sendOnly = new Role(FederationLayout.siteUser(site.id()), true, false, false, false, false, false,
                    false, false, false, false);
            config.putSecurityRoles(address, Set.of(internal, sendOnly));
            config.addAddressConfiguration(new CoreAddressConfiguration().setName(address)
                    .addRoutingType(RoutingType.MULTICAST));
            // no queue: the write guard reads a report on its way in, then it is dropped unrouted
            String reports = FederationLayout.reportAddress(site.id());
            config.putSecurityRoles(reports, Set.of(internal, sendOnly));
            config.addAddressConfiguration(new CoreAddressConfiguration().setName(reports)
                    .addRoutingType(RoutingType.ANYCAST));
            config.addDivertConfiguration(new DivertConfiguration()
                    .setName("site-" + site.id())
                    .setRoutingName("site-" + site.id())
                    .setAddress(address)
                    .setForwardingAddress(BufferLayout.READINGS_ADDRESS)
                    .setExclusive(true)
                    .setRoutingType(ComponentConfigurationRoutingType.PASS)
                    .setTransformerConfiguration(new TransformerConfiguration(InflateBody.class.getName())));
        }
        config.registerBrokerPlugin(new SiteWriteGuard(central.sites(), traffic, reports));
    }

    private static Role allOf(String name) {
        return new Role(name, true, true, true, true, true, true, true, true, true, true, true, true);
    }

    private static Map<String, Object> tls(TlsStores tls) {
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
        params.put(TransportConstants.ENABLED_PROTOCOLS_PROP_NAME, TLS_PROTOCOLS);
        params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, tls.keyStore().toString());
        params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, tls.keyStorePassword());
        params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, TlsStores.type(tls.keyStore()));
        params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, tls.trustStore().toString());
        params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, tls.trustStorePassword());
        params.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, TlsStores.type(tls.trustStore()));
        return params;
    }
}
