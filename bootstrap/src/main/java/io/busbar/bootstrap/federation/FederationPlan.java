package io.busbar.bootstrap.federation;

import java.util.Optional;

/** What this instance does in site-to-central: forward to a central, be a central, both, or neither. */
public record FederationPlan(Optional<SiteLink> forward, Optional<CentralListener> central) {

    public static final FederationPlan NONE = new FederationPlan(Optional.empty(), Optional.empty());

    public boolean isActive() {
        return forward.isPresent() || central.isPresent();
    }
}
