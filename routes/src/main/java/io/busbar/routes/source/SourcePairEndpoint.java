package io.busbar.routes.source;

import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Category;
import org.apache.camel.Processor;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

/**
 * {@code busbar-source:<pair>[?forwarding=...&takeoverOverlap=...&watermarkFile=...]}: the source
 * pair of that name. Being a route consumer gives the pair Camel's lifecycle: it starts after the
 * buffer routes are up and, on shutdown, stops first, before in-flight deliveries finish.
 */
@UriEndpoint(firstVersion = "0.1", scheme = BusbarSourceComponent.SCHEME, title = "Busbar source pair",
        syntax = "busbar-source:pair", consumerOnly = true, category = Category.IOT)
public final class SourcePairEndpoint extends SourceEndpoint {

    private static final String STANDALONE = "standalone";
    private static final String LEADER = "leader";
    private static final String BESIDE = "beside-";

    private final SourcePairPlan plan;
    private final MeterRegistry registry;
    private final SourcePairs pairs;

    @UriPath(description = "The pair's name in the configuration")
    @Metadata(required = true)
    private final String pair;

    @UriParam(defaultValue = STANDALONE, enums = "standalone,beside-primary,beside-secondary,leader",
            description = "Which active server this instance forwards: always (standalone), only the one it runs"
                    + " beside (co-located), or the pair while this instance leads it (distributed)")
    private String forwarding = STANDALONE;

    @UriParam(defaultValue = "30s", description = "Co-located and distributed: how far before the takeover point"
            + " history is read again")
    private Duration takeoverOverlap = ForwardingScope.DEFAULT_TAKEOVER_OVERLAP;

    @UriParam(description = "Where the pair keeps its per-node watermarks across restarts; without it the pair"
            + " starts from now and keeps no forward log")
    private String watermarkFile;

    SourcePairEndpoint(String uri, BusbarSourceComponent component, SourcePairPlan plan, MeterRegistry registry,
                       SourcePairs pairs) {
        super(uri, component);
        this.plan = plan;
        this.pair = plan.name();
        this.registry = registry;
        this.pairs = pairs;
    }

    @Override
    protected HandOffConsumer newConsumer(Processor processor) {
        return new SourcePairConsumer(this, processor, plan, scope(), registry, pairs, watermarkFile());
    }

    public String getPair() {
        return pair;
    }

    public String getForwarding() {
        return forwarding;
    }

    /** @throws IllegalArgumentException naming the endpoint and the accepted values */
    public void setForwarding(String forwarding) {
        if (!forwarding.equals(STANDALONE) && !forwarding.equals(LEADER)
                && !forwarding.equals(BESIDE + "primary") && !forwarding.equals(BESIDE + "secondary")) {
            throw new IllegalArgumentException(BusbarSourceComponent.SCHEME + ":" + pair + ": forwarding '"
                    + forwarding + "' is none of standalone, beside-primary, beside-secondary, leader");
        }
        this.forwarding = forwarding;
    }

    public Duration getTakeoverOverlap() {
        return takeoverOverlap;
    }

    public void setTakeoverOverlap(Duration takeoverOverlap) {
        if (takeoverOverlap.isNegative()) {
            throw new IllegalArgumentException(BusbarSourceComponent.SCHEME + ":" + pair
                    + ": takeoverOverlap must not be negative, was " + takeoverOverlap);
        }
        this.takeoverOverlap = takeoverOverlap;
    }

    public String getWatermarkFile() {
        return watermarkFile;
    }

    public void setWatermarkFile(String watermarkFile) {
        this.watermarkFile = watermarkFile;
    }

    /** The forwarding scope the parameters describe. */
    ForwardingScope scope() {
        if (forwarding.equals(LEADER)) {
            return ForwardingScope.leader(takeoverOverlap);
        }
        if (forwarding.startsWith(BESIDE)) {
            return ForwardingScope.beside(ServerRole.fromWireName(forwarding.substring(BESIDE.length())),
                    takeoverOverlap);
        }
        return ForwardingScope.standalone();
    }

    Optional<Path> watermarkFile() {
        return Optional.ofNullable(watermarkFile).map(Path::of);
    }

    /** The {@code forwarding} parameter of {@code scope}. */
    static String forwarding(ForwardingScope scope) {
        if (scope.beside().isPresent()) {
            return BESIDE + scope.beside().get().wireName();
        }
        return scope.rewindOnStart() ? LEADER : STANDALONE;
    }
}
