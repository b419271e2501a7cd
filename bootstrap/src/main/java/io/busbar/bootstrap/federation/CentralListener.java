package io.busbar.bootstrap.federation;

import java.util.List;

/**
 * The central side of site-to-central ({@code central:} in busbar.yaml): one TLS listener that
 * requires a client certificate, and the sites allowed through it.
 */
public record CentralListener(String host, int port, TlsStores tls, List<SiteIdentity> sites) {

    public CentralListener {
        sites = List.copyOf(sites);
    }
}
