package io.busbar.bootstrap.federation;

import io.busbar.routes.BufferLayout;
import java.util.List;
import java.util.stream.Collectors;

/** Names of the site-to-central pieces in the site's and the central's brokers. */
public final class FederationLayout {

    /** At the site: the queue on the readings address that the bridge drains to the central. */
    public static final String OUTBOX_QUEUE = "busbar.forward.central";
    /** At the site: the core bridge's name. */
    public static final String BRIDGE = "forward-central";
    /** At the site: the queue of status reports for the central (the first hour of an outage's wait there). */
    public static final String REPORT_QUEUE = "busbar.forward.report";
    /** At the site: the core bridge that carries the reports, on the same connector as the readings' one. */
    public static final String REPORT_BRIDGE = "forward-central-report";
    /** At the site: the connector the bridge dials. */
    static final String CENTRAL_CONNECTOR = "central";
    /** At the central: the TLS acceptor sites connect to. */
    static final String SITE_ACCEPTOR = "sites";
    /** Message property: how the body is encoded on the link ({@code deflate}); absent when plain. */
    static final String ENCODING_PROPERTY = "busbarEncoding";
    static final String DEFLATE = "deflate";
    /** The role of Busbar's own in-VM connections at a central. */
    static final String INTERNAL_ROLE = "busbar";

    private FederationLayout() {
    }

    /** At the central: the address only this site may send to; a divert moves its readings on. */
    public static String siteAddress(String site) {
        return "busbar.site." + site;
    }

    /**
     * At the central: the address only this site may send its status reports to; it has no queue,
     * so a report is read on its way in ({@link SiteWriteGuard}) and never stored.
     */
    public static String reportAddress(String site) {
        return "busbar.report." + site;
    }

    /** At the central: the validated user (and role) of a site's connection. */
    static String siteUser(String site) {
        return "site:" + site;
    }

    /** At the site: the outbox's filter, the forwarded pairs' own readings (no replayed dead letters). */
    static String outboxFilter(List<String> pairs) {
        return BufferLayout.REPLAY_TO_PROPERTY + " IS NULL AND " + BufferLayout.PAIR_PROPERTY + " IN ("
                + pairs.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ")) + ")";
    }
}
