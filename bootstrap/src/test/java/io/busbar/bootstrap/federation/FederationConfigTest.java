package io.busbar.bootstrap.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central: and forward: sections: what compiles, and each mistake named with its line. */
class FederationConfigTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("busbar.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String central(String sites, String routes) {
        return """
                central:
                  listen: 0.0.0.0:61617
                  key-store: %s
                  key-store-password: ${KS}
                  trust-store: %s
                  trust-store-password: changeit
                  sites:
                %s
                targets:
                  out: {type: file, path: out.jsonl}
                routes:
                %s
                """.formatted(SiteToCentralIT.cert("central.p12"), SiteToCentralIT.cert("trust.p12"), sites.indent(4),
                routes.indent(2));
    }

    @Test
    void central_compiles_sitePairsFeedTheirTargets_fingerprintFromTheCertificateFile() throws IOException {
        Path file = write(central("""
                north: {certificate: %s, pairs: [north-plant]}
                south: {certificate: "A8:66:7D:F8:AD:6C:C1:01:2B:C5:45:99:B6:5F:FB:7A:F0:B3:80:0B:DC:0D:08:20:D4:5D:06:E6:97:FF:0D:E0", pairs: [south-plant]}
                """.formatted(SiteToCentralIT.cert("site-north.pem")), """
                - {from: north-plant, to: [out]}
                - {from: south-plant, to: [out]}
                """));

        CompiledConfig config = ConfigFile.load(file, Map.of("KS", "secret")::get);

        CentralListener listener = config.federation().central().orElseThrow();
        assertThat(listener.port()).isEqualTo(61617);
        assertThat(listener.tls().keyStorePassword()).isEqualTo("secret");
        assertThat(listener.tls().toString()).doesNotContain("secret").doesNotContain("changeit");
        assertThat(listener.sites()).extracting(SiteIdentity::id).containsExactly("north", "south");
        // the south fingerprint written above is the shipped south certificate's: both forms name the same thing
        assertThat(listener.sites().get(0).fingerprints()).singleElement().asString().hasSize(95);
        assertThat(config.plan().pairsFeeding("out")).containsExactly("north-plant", "south-plant");
        assertThat(config.plan().pairs()).isEmpty();
    }

    @Test
    void central_mistakes_eachNamedWithItsLine() throws IOException {
        Path file = write(central("""
                north: {certificate: missing.pem, pairs: [plant]}
                south: {certificate: %s, pairs: [plant]}
                west: {certificate: "4C:86:8B:A3:77:CE:D2:75:6A:F8:B7:32:C0:92:6C:BC:6E:8E:82:3D:A4:A2:3D:5E:5C:F4:C7:5F:76:34:8E:60", pairs: [idle-plant]}
                """.formatted(SiteToCentralIT.cert("site-south.pem")), """
                - {from: west-plant, to: [out]}
                """));

        assertThatThrownBy(() -> ConfigFile.load(file, Map.<String, String>of()::get))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("central.key-store-password: environment variable KS is not set")
                        .contains("central.sites.north.certificate: must be a certificate file")
                        .contains("central.sites.south.pairs[0]: pair 'plant' belongs to site 'north' already")
                        .contains("routes[0].from: unknown source pair 'west-plant' (defined: plant, idle-plant)")
                        .contains("central.sites.west.pairs: site pair 'idle-plant' feeds no target"));
    }

    @Test
    void forward_withoutTargets_compiles_everyPairForwardedByDefault() throws IOException {
        Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(dir.resolve("mappings/m.yaml"), """
                meters:
                  - id: m-1
                    registers:
                      - {node: "ns=2;s=M1.Energy", quantity: "1-0:1.8.0", unit: kWh}
                """);
        Path file = write("""
                sources:
                  plant:
                    primary: {endpoint: "opc.tcp://localhost:4840"}
                mappings:
                  plant: mappings/m.yaml
                forward:
                  site: north
                  central: central.example.com:61617
                  key-store: %s
                  key-store-password: changeit
                  trust-store: %s
                  trust-store-password: changeit
                """.formatted(SiteToCentralIT.cert("site-north.p12"), SiteToCentralIT.cert("trust.p12")));

        SiteLink link = ConfigFile.load(file).federation().forward().orElseThrow();

        assertThat(link.host()).isEqualTo("central.example.com");
        assertThat(link.pairs()).containsExactly("plant");
        assertThat(link.compression()).isTrue();
    }
}
