package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code busbar-source:<pair>}: the registered component, its URI parameters and their errors. */
class BusbarSourceComponentTest {

    private final CamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void register() {
        SourcePairPlan plant = new SourcePairPlan("plant", new ServerPlan(ServerRole.PRIMARY,
                OpcUaSourceOptions.builder("opc.tcp://localhost:4840/busbar").build()), Optional.empty(),
                RedundancyPolicy.defaults(), BackfillPolicy.defaults(), MappingFile.parse("plant", """
                        meters:
                          - id: M1
                            registers:
                              - {node: "ns=2;s=M1.Energy", quantity: "1-0:1.8.0", unit: kWh}
                        """, "plant.yaml"), List.of("out"));
        camel.addComponent(BusbarSourceComponent.SCHEME,
                new BusbarSourceComponent(List.of(plant), new SimpleMeterRegistry(), new SourcePairs()));
    }

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    static List<ForwardingScope> scopes() {
        return List.of(ForwardingScope.standalone(), ForwardingScope.beside(ServerRole.PRIMARY, Duration.ofSeconds(30)),
                ForwardingScope.beside(ServerRole.SECONDARY, Duration.ofMillis(1_500)),
                ForwardingScope.leader(Duration.ofMinutes(2)));
    }

    @ParameterizedTest
    @MethodSource("scopes")
    void uriOfAScope_givesAnEndpointWithThatScope(ForwardingScope scope) {
        SourcePairEndpoint endpoint = endpoint(BusbarSourceComponent.uri("plant", scope, Optional.empty()));

        assertThat(endpoint.scope()).isEqualTo(scope);
        assertThat(endpoint.watermarkFile()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/busbar data/water+marks&more%20/plant #1.json", "/data/busbar (site A)/plant.json"})
    void watermarkFileWithSpacesReservedCharactersOrParentheses_comesBackUnchanged(String path) {
        Path file = Path.of(path);

        SourcePairEndpoint endpoint = endpoint(BusbarSourceComponent.uri("plant", ForwardingScope.standalone(),
                Optional.of(file)));

        assertThat(endpoint.watermarkFile()).contains(file);
    }

    @Test
    void handWrittenUri_durationsInCamelsNotation() {
        SourcePairEndpoint endpoint = endpoint("busbar-source:plant?forwarding=leader&takeoverOverlap=45s");

        assertThat(endpoint.scope()).isEqualTo(ForwardingScope.leader(Duration.ofSeconds(45)));
    }

    @Test
    void unknownPair_failsNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> camel.getEndpoint("busbar-source:plnat"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("no source named 'plnat' in the configuration (known: plant)");
    }

    @Test
    void unknownForwarding_failsNamingTheEndpointAndTheAcceptedValues() {
        assertThatThrownBy(() -> camel.getEndpoint("busbar-source:plant?forwarding=besides-primary"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().hasMessage("busbar-source:plant: forwarding 'besides-primary' is none of standalone,"
                        + " beside-primary, beside-secondary, leader");
    }

    @Test
    void unknownParameter_fails() {
        assertThatThrownBy(() -> camel.getEndpoint("busbar-source:plant?watermarkDir=/tmp"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("watermarkDir");
    }

    @Test
    void producingToASource_failsWhenTheRouteIsBuilt() {
        assertThatThrownBy(() -> {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("busbar-source:plant");
                }
            });
            camel.start();
        }).hasRootCauseMessage("busbar-source://plant: a source can only be consumed from");
    }

    private SourcePairEndpoint endpoint(String uri) {
        return camel.getEndpoint(uri, SourcePairEndpoint.class);
    }
}
