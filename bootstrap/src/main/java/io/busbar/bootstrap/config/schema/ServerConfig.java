package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import java.util.Objects;

/** {@code primary:} or {@code secondary:} of a source pair. */
public record ServerConfig(
        @JsonProperty(required = true)
        @Schema.Pattern(value = "^(opc\\.tcp://[^\\s/:]+(:[0-9]{1,5})?(/\\S*)?|modbus-tcp://[^\\s/:]+(:[0-9]{1,5})?)$",
                message = "must be an opc.tcp://host:port URL or a modbus-tcp://host:port address")
        @JsonPropertyDescription("OPC UA endpoint URL of this server (opc.tcp://host:port/path), or a Modbus TCP gateway"
                + " (modbus-tcp://host[:502]); both servers of a pair are of one kind.") String endpoint,
        SecurityConfig security) {

    /** {@code security:} of a server connection. */
    @JsonClassDescription("OPC UA security of this server connection. Secured policies always sign and encrypt.")
    @Schema.Requires(key = "username", needs = "password")
    @Schema.Requires(key = "password", needs = "username")
    public record SecurityConfig(
            @Schema.Choice(value = {"None", "Basic256Sha256", "Aes256_Sha256_RsaPss"},
                    message = "must be one of: None, Basic256Sha256, Aes256_Sha256_RsaPss")
            @JsonPropertyDescription("Security policy. Default None.") String policy,
            @Schema.Size(min = 1) @JsonPropertyDescription("User name identity; anonymous when absent.")
            String username,
            @JsonPropertyDescription("Password; write ${ENV_VAR} to take it from the environment. Never logged.")
            String password,
            @JsonProperty("pki-dir") @Schema.Size(min = 1)
            @JsonPropertyDescription("Directory of Busbar's application certificate (created on first start) and the"
                    + " trust list: put the server certificates Busbar may trust into pki-dir/trusted. Relative to"
                    + " this file. Default: pki") String pkiDir) {

        /** Where the application certificate and trust list live when the file has no {@code pki-dir}. */
        public static final String DEFAULT_PKI_DIR = "pki";

        /** The policy named when the file has none. */
        public static final String DEFAULT_POLICY = "None";

        /** Left out, a key takes its default. */
        public SecurityConfig {
            policy = Objects.requireNonNullElse(policy, DEFAULT_POLICY);
            pkiDir = Objects.requireNonNullElse(pkiDir, DEFAULT_PKI_DIR);
        }
    }
}
