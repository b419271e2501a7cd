package io.busbar.connectors.target.http;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import io.busbar.connectors.schema.CustomShape;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.schema.Variants;
import io.busbar.connectors.target.RetryConfig;
import io.busbar.connectors.target.TlsConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The keys of a {@code type: http} entry; its schema is generated from this record. */
@JsonClassDescription("a web service: 1C HTTP services, CRM webhooks, REST")
@Schema.DefaultsIn(HttpTargetSettings.class)
public record HttpTargetConfig(
        @Schema.AnyValue String type,
        @JsonProperty(required = true)
        @Schema.Pattern(value = HttpTargetConfig.URL, message = HttpTargetConfig.URL_MESSAGE)
        @JsonPropertyDescription("The endpoint, e.g. https://erp/base/hs/busbar/readings (a 1C HTTP service) or a CRM"
                + " webhook URL.") String url,
        @Schema.Choice(value = {"reading", "batch"}, message = "must be reading or batch")
        @JsonPropertyDescription("reading: one reading per request (default); batch: the batch as one JSON array.")
        String body,
        @Schema.KeyPattern("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
        @JsonPropertyDescription("Extra request headers; values may be ${ENV_VAR}.") Map<String, String> headers,
        @JsonPropertyDescription("Authentication: basic (username, password), bearer (token) or oauth2 (client"
                + " credentials: token-url, client-id, client-secret, scope).") Auth auth,
        @JsonProperty("signing-secret")
        @Schema.Pattern(value = "^(whsec_[A-Za-z0-9+/=]+|\\$\\{[A-Za-z_][A-Za-z0-9_]*})$",
                message = "must be whsec_<base64> or ${ENV_VAR}")
        @JsonPropertyDescription("Standard Webhooks secret (whsec_<base64>): sign every request (webhook-id,"
                + " webhook-timestamp, webhook-signature). Write ${ENV_VAR} to take it from the environment. Never"
                + " logged.") String signingSecret,
        @JsonProperty("rate-limit") @Schema.Range(min = 0, exclusiveMin = true)
        @JsonPropertyDescription("At most this many requests per second, e.g. 2 for a Bitrix24 portal. Default:"
                + " unlimited.") Double rateLimit,
        @JsonPropertyDescription("Connect and response timeout. Default 30s.") Duration timeout,
        TlsConfig tls,
        RetryConfig retry,
        @JsonPropertyDescription(RetryConfig.PARALLELISM) @Schema.Range(min = 1, max = 16) Integer parallelism) {

    /** Left out, a key takes its default (its constant in {@link HttpTargetSettings}). */
    public HttpTargetConfig {
        timeout = Objects.requireNonNullElse(timeout, HttpTargetSettings.DEFAULT_TIMEOUT);
    }

    static final String URL = "^https?://\\S+$";
    static final String URL_MESSAGE = "must be an http:// or https:// URL";

    /** The {@code auth:} block: its {@code type} chooses one of the records below. */
    @Schema.Shape(Auth.Shape.class)
    public interface Auth {

        /** Binds the variant its {@code type} names, as the schema admits. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Auth of(JsonNode written) {
            String type = written.path("type").asText();
            return switch (type) {
                case "basic" -> new Basic(type, text(written, "username"), text(written, "password"));
                case "bearer" -> new Bearer(type, text(written, "token"));
                default -> new OAuth2(type, text(written, "token-url"), text(written, "client-id"),
                        text(written, "client-secret"), text(written, "scope"));
            };
        }

        private static String text(JsonNode parent, String key) {
            JsonNode value = parent.path(key);
            return value.isValueNode() && !value.isNull() ? value.asText() : null;
        }

        /** basic, bearer or oauth2, each with its own keys. */
        final class Shape implements CustomShape {
            @Override
            public ObjectNode schema(SchemaGenerationContext context) {
                Map<String, Class<?>> variants = new LinkedHashMap<>();
                variants.put("basic", Basic.class);
                variants.put("bearer", Bearer.class);
                variants.put("oauth2", OAuth2.class);
                return Variants.schema(context, "type", variants, "must be one of: basic, bearer, oauth2");
            }
        }
    }

    /** {@code type: basic}. */
    public record Basic(
            @Schema.AnyValue String type,
            @JsonProperty(required = true) @Schema.Size(min = 1) String username,
            @JsonProperty(required = true)
            @JsonPropertyDescription("Password. Write ${ENV_VAR} to take it from the environment. Never logged.")
            String password) implements Auth {
    }

    /** {@code type: bearer}. */
    public record Bearer(
            @Schema.AnyValue String type,
            @JsonProperty(required = true)
            @JsonPropertyDescription("Bearer token. Write ${ENV_VAR} to take it from the environment. Never logged.")
            String token) implements Auth {
    }

    /** {@code type: oauth2}: client credentials. */
    public record OAuth2(
            @Schema.AnyValue String type,
            @JsonProperty(value = "token-url", required = true) @Schema.Pattern(value = URL, message = URL_MESSAGE)
            @JsonPropertyDescription("The token endpoint.") String tokenUrl,
            @JsonProperty(value = "client-id", required = true) @Schema.Size(min = 1) String clientId,
            @JsonProperty(value = "client-secret", required = true)
            @JsonPropertyDescription("Client secret. Write ${ENV_VAR} to take it from the environment. Never logged.")
            String clientSecret,
            @Schema.Size(min = 1) @JsonPropertyDescription("Requested scope(s), space-separated.") String scope)
            implements Auth {
    }
}
