package io.busbar.bootstrap.federation;

import io.busbar.routes.BufferLayout;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central broker's check of what a site writes, after the certificate said who the site is
 * ({@link SiteCertificates}) and the address security let it send to its own address only: every
 * message must carry one of that site's pairs. A site cannot write another site's readings by
 * naming its pair. A refused send fails at the site's bridge (its readings stay in its journal)
 * and is counted per site. Also counts what each site delivered, for health and metrics.
 */
public final class SiteWriteGuard implements ActiveMQServerMessagePlugin {

    private static final Logger log = LoggerFactory.getLogger(SiteWriteGuard.class);
    private static final String SITE_ADDRESS_PREFIX = FederationLayout.siteAddress("");

    private final Map<String, Guarded> sitesByUser;
    private final SiteTraffic traffic;
    private final SiteReports reports;

    public SiteWriteGuard(java.util.List<SiteIdentity> sites, SiteTraffic traffic, SiteReports reports) {
        this.sitesByUser = sites.stream().collect(Collectors.toMap(site -> FederationLayout.siteUser(site.id()),
                Guarded::new));
        this.traffic = traffic;
        this.reports = reports;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        Guarded guarded = sitesByUser.get(session.getValidatedUser());
        if (guarded == null) {
            return; // Busbar's own in-VM sessions; a remote session without a site never gets this far
        }
        SiteIdentity site = guarded.site();
        String address = message.getAddress();
        if (guarded.reportAddress().equals(address)) {
            // the site is the connection's, never the report's; the report address has no queue
            byte[] body;
            try {
                body = DeflateBody.Bodies.read(message.toCore());
            } catch (RuntimeException e) {
                reports.ignore(site.id(), "unreadable body: " + e);
                return;
            }
            reports.accept(site.id(), body);
            return;
        }
        String pair = message.getStringProperty(BufferLayout.PAIR_PROPERTY);
        if (!guarded.address().equals(address) || pair == null || !guarded.pairs().contains(pair)) {
            traffic.refused(site.id());
            log.warn("Site '{}' tried to write pair '{}' to {}: refused (central.sites.{}.pairs: {})", site.id(), pair,
                    address, site.id(), site.pairs());
            throw new ActiveMQSecurityException("site '" + site.id() + "' may not write pair '" + pair + "'");
        }
    }

    /** A site with what each send is checked against, computed once rather than per message. */
    private record Guarded(SiteIdentity site, String address, String reportAddress, Set<String> pairs) {

        Guarded(SiteIdentity site) {
            this(site, FederationLayout.siteAddress(site.id()), FederationLayout.reportAddress(site.id()),
                    Set.copyOf(site.pairs()));
        }
    }

    @Override
    public void afterMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates,
                                  RoutingStatus result) {
        String address = message.getAddress();
        if (result == RoutingStatus.OK && address != null && address.startsWith(SITE_ADDRESS_PREFIX)) {
            Object count = message.getObjectProperty(BufferLayout.COUNT_PROPERTY);
            traffic.received(address.substring(SITE_ADDRESS_PREFIX.length()),
                    count instanceof Number number ? number.longValue() : 0);
        }
    }
}
