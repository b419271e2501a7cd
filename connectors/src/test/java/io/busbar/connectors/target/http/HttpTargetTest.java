package io.busbar.connectors.target.http;

import static io.busbar.connectors.support.TestReadings.T0;
import static io.busbar.connectors.support.TestReadings.batch;
import static io.busbar.connectors.support.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.support.RecordingHttpServer.Answer;
import io.busbar.connectors.support.RecordingHttpServer.Request;
import io.busbar.connectors.support.RecordingHttpServer;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.RetryLaterException;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.support.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP target against a real HTTP server in the test that records requests and answers scripted statuses. */
class HttpTargetTest {

    private static final String HOOK = "/hs/busbar/readings";
    private static final String TOKEN = "/oauth/token";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private RecordingHttpServer server;
    private final List<HttpTarget> targets = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = new RecordingHttpServer();
    }

    @AfterEach
    void stopServer() {
        targets.forEach(HttpTarget::close);
        server.close();
    }

    private HttpTargetSettings settings() {
        return HttpTargetSettings.of("crm", URI.create(server.url(HOOK))).withTimeout(Duration.ofSeconds(2));
    }

    private HttpTarget started(HttpTargetSettings settings) throws Exception {
        return started(settings, Clock.systemUTC());
    }

    private HttpTarget started(HttpTargetSettings settings, Clock clock) throws Exception {
        HttpTarget target = new HttpTarget(settings, clock);
        target.start();
        targets.add(target);
        return target;
    }

    private List<Reading> received() {
        return server.requests(HOOK).stream().map(r -> ReadingCodec.fromJson(r.body())).toList();
    }

    @Test
    void oneReadingPerRequest_postsTheWireJson_withTheReadingKeyAsIdempotencyKey_andConfiguredHeaders() throws Exception {
        List<Reading> batch = batch(3);

        started(settings().withHeaders(Map.of("X-Api-Key", "k-123"))).deliver(batch);

        assertThat(server.requests(HOOK)).hasSize(3).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
            assertThat(request.header("X-Api-Key")).isEqualTo("k-123");
            assertThat(request.header("Authorization")).isNull();
        });
        assertThat(received()).containsExactlyElementsOf(batch);
        assertThat(server.requests(HOOK)).extracting(r -> r.header("Idempotency-Key"))
                .containsExactly(batch.get(0).key(), batch.get(1).key(), batch.get(2).key());
    }

    @Test
    void batchBody_postsOneJsonArray_keyedByTheHashOfItsReadingKeys() throws Exception {
        List<Reading> batch = batch(4);
        HttpTarget target = started(settings().withBody(HttpTargetSettings.Body.BATCH));

        target.deliver(batch);
        target.deliver(batch);
        target.deliver(batch.subList(0, 3));

        List<Request> requests = server.requests(HOOK);
        assertThat(ReadingCodec.fromJsonBatch(requests.get(0).body().getBytes(StandardCharsets.UTF_8))).containsExactlyElementsOf(batch);
        assertThat(requests.get(0).header("Idempotency-Key")).startsWith("batch-").hasSize(6 + 64)
                .isEqualTo(requests.get(1).header("Idempotency-Key"))
                .isNotEqualTo(requests.get(2).header("Idempotency-Key"));
    }

    @Test
    void nonAsciiReadingKey_isPercentEncodedInTheHeader() {
        assertThat(HttpTarget.idempotencyKey("завод/Счётчик 1/1-0:1.8.0/2026-11-22T02:10:05Z"))
                .startsWith("%D0%B7%D0%B0").contains("%201/1-0:1.8.0/2026-11-22T02:10:05Z").matches("[\\x21-\\x7e]+");
    }

    @Test
    void signedRequests_carryAStandardWebhooksSignature_thatTheReceiverCanVerify() throws Exception {
        Instant before = Instant.now();
        started(settings().withSigningSecret(SECRET)).deliver(batch(2));

        assertThat(server.requests(HOOK)).hasSize(2).allSatisfy(request -> {
            String id = request.header("webhook-id");
            String timestamp = request.header("webhook-timestamp");
            assertThat(id).isEqualTo(request.header("Idempotency-Key"));
            assertThat(Long.parseLong(timestamp)).isBetween(before.getEpochSecond() - 1, Instant.now().getEpochSecond() + 1);
            assertThat(request.header("webhook-signature")).isEqualTo("v1," + hmac(id + "." + timestamp + "." + request.body()));
        });
    }

    private static String hmac(String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void basicAndBearerAuth_areSent_andNeverShownBySettings() throws Exception {
        HttpTargetSettings basic = settings().withAuth(new HttpTargetSettings.Basic("busbar", "p@ss-1c"));
        HttpTargetSettings bearer = settings().withAuth(new HttpTargetSettings.Bearer("tok-secret-9"));

        started(basic).deliver(batch(1));
        started(bearer).deliver(batch(1));

        assertThat(server.requests(HOOK)).extracting(r -> r.header("Authorization")).containsExactly(
                "Basic " + Base64.getEncoder().encodeToString("busbar:p@ss-1c".getBytes(StandardCharsets.UTF_8)),
                "Bearer tok-secret-9");
        assertThat(basic.toString() + bearer + settings().withSigningSecret(SECRET))
                .doesNotContain("p@ss-1c", "tok-secret-9", SECRET);
    }

    @Test
    void tooManyRequests_isRetryLater_withTheRetryAfterDelay() throws Exception {
        server.script(HOOK, Answer.of(429, "{\"error\":\"QUERY_LIMIT_EXCEEDED\"}").withHeader("Retry-After", "3"));

        assertThatThrownBy(() -> started(settings()).deliver(batch(2)))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                    assertThat(e).hasMessageContaining("429").hasMessageContaining("QUERY_LIMIT_EXCEEDED");
                });
        assertThat(server.requests(HOOK)).hasSize(1);
    }

    @Test
    void retryAfterAsHttpDate_isTheDelayUntilThen() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T02:10:05Z"), java.time.ZoneOffset.UTC);
        assertThat(RetryAfter.parse("Sun, 22 Nov 2026 02:11:05 GMT", clock)).contains(Duration.ofMinutes(1));
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    }

    @Test
    void serviceUnavailableAndTimeoutStatus_areTransient() throws Exception {
        server.script(HOOK, Answer.of(503), Answer.of(408));
        HttpTarget target = started(settings());

        assertThatThrownBy(() -> target.deliver(batch(1))).isInstanceOf(RetryLaterException.class).hasMessageContaining("503");
        assertThatThrownBy(() -> target.deliver(batch(1))).isInstanceOf(RetryLaterException.class).hasMessageContaining("408");
        target.deliver(batch(1));
        assertThat(server.requests(HOOK)).hasSize(3);
    }

    @Test
    void badRequest_rejectsThatReading_andTheOthersAreDelivered() throws Exception {
        List<Reading> batch = batch(4);
        server.otherwise(HOOK, r -> r.body().contains("Meter002")
                ? Answer.of(400, "{\"error\":\"unknown meter Meter002\"}") : Answer.of(201));

        assertThatThrownBy(() -> started(settings()).deliver(batch))
                .isInstanceOfSatisfying(RejectedReadingsException.class, e -> assertThat(e.rejections()).singleElement()
                        .satisfies(r -> {
                            assertThat(r.reading()).isEqualTo(batch.get(1));
                            assertThat(r.reason()).contains("answered 400").contains("unknown meter Meter002");
                        }));
        assertThat(received()).containsExactlyElementsOf(batch);
    }

    @Test
    void oauth2_fetchesATokenOnce_andUsesItUntilItExpires_thenRenewsIt() throws Exception {
        AtomicInteger issued = issuingTokens(120);
        MutableClock clock = new MutableClock(T0);
        HttpTarget target = started(oauth2(), clock);

        target.deliver(batch(3));
        clock.advance(Duration.ofSeconds(100)); // within the 30 s margin before expiry
        target.deliver(batch(1));

        assertThat(issued).hasValue(2);
        assertThat(server.requests(HOOK)).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
        assertThat(server.requests(TOKEN)).allSatisfy(r -> {
            assertThat(r.body()).isEqualTo("grant_type=client_credentials&scope=readings.write");
            assertThat(r.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("busbar-client:cl13nt-secret".getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Test
    void oauth2_tokenRefusedWith401_isRenewed_andTheRequestRepeatedOnce() throws Exception {
        AtomicInteger issued = issuingTokens(3600);
        Set<String> revoked = Set.of("tok-1");
        server.otherwise(HOOK, r -> revoked.contains(r.header("Authorization").substring(7)) ? Answer.of(401) : Answer.of(204));
        List<Reading> batch = batch(2);

        started(oauth2()).deliver(batch);

        assertThat(issued).hasValue(2);
        assertThat(server.requests(HOOK)).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-2", "Bearer tok-2");
        assertThat(received()).containsExactly(batch.get(0), batch.get(0), batch.get(1));
    }

    @Test
    void oauth2_tokenEndpointDown_isTransient_notARejection() throws Exception {
        server.script(TOKEN, Answer.of(500, "{\"error\":\"server_error\"}"));

        assertThatThrownBy(() -> started(oauth2()).deliver(batch(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("OAuth2 token endpoint").hasMessageContaining("500");
        assertThat(server.requests(HOOK)).isEmpty();
    }

    private HttpTargetSettings oauth2() {
        return settings().withAuth(new HttpTargetSettings.OAuth2(URI.create(server.url(TOKEN)), "busbar-client", "cl13nt-secret",
                Optional.of("readings.write")));
    }

    private AtomicInteger issuingTokens(int expiresIn) {
        AtomicInteger issued = new AtomicInteger();
        server.otherwise(TOKEN, r -> Answer.of(200, "{\"access_token\":\"tok-" + issued.incrementAndGet()
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}"));
        return issued;
    }

    @Test
    void rateLimit_spacesTheRequests() throws Exception {
        long started = System.nanoTime();
        started(settings().withRateLimit(20)).deliver(batch(6));

        List<Request> requests = server.requests(HOOK);
        assertThat(requests).hasSize(6);
        // 20/s: one request every 50 ms, so the sixth goes out 250 ms after the first
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(Duration.ofNanos(requests.get(5).receivedNanos() - requests.get(0).receivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void serverDown_isTransient_thenTheSameBatchIsDeliveredWhenItIsBack_withTheSameKeys() throws Exception {
        HttpTarget target = started(settings());
        server.stop();
        List<Reading> batch = batch(3);

        assertThatThrownBy(() -> target.deliver(batch)).isInstanceOf(IOException.class).hasMessageContaining("unreachable");

        server.restart();
        target.deliver(batch);
        assertThat(received()).containsExactlyElementsOf(batch);
        assertThat(server.requests(HOOK)).extracting(r -> r.header("Idempotency-Key"))
                .containsExactlyElementsOf(batch.stream().map(Reading::key).toList());
    }

    @Test
    void redirect_isRejectedWithWhereItPoints() {
        server.script(HOOK, Answer.of(301).withHeader("Location", "https://crm.example/hook"));

        assertThatThrownBy(() -> started(settings()).deliver(List.of(reading("Meter001", "1-0:1.8.0", "1", T0))))
                .isInstanceOfSatisfying(RejectedReadingsException.class, e -> assertThat(e.rejections().get(0).reason())
                        .contains("301").contains("redirect to https://crm.example/hook"));
    }
}
