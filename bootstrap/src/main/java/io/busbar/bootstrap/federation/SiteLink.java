package io.busbar.bootstrap.federation;

import java.util.List;

/**
 * The site side of site-to-central ({@code forward:} in busbar.yaml): this site's readings of the
 * given pairs go to the central over one outbound TLS connection.
 *
 * @param site        this site's id; the central knows it by its certificate and accepts its
 *                    readings only on this site's address
 * @param host        the central's site listener
 * @param port        its port
 * @param pairs       the pairs forwarded
 * @param compression deflate message bodies on the link
 */
public record SiteLink(String site, String host, int port, TlsStores tls, List<String> pairs, boolean compression) {

    public SiteLink {
        pairs = List.copyOf(pairs);
    }
}
