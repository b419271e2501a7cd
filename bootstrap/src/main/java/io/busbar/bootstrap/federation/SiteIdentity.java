package io.busbar.bootstrap.federation;

import java.util.List;
import java.util.Set;

/**
 * A site the central lets in: the SHA-256 fingerprints of the certificates it may present
 * (upper-case hex, colon-separated) and the pairs it may write.
 */
public record SiteIdentity(String id, Set<String> fingerprints, List<String> pairs) {

    public SiteIdentity {
        fingerprints = Set.copyOf(fingerprints);
        pairs = List.copyOf(pairs);
    }
}
