package io.busbar.bootstrap.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * What a site says about its own link, every {@link SiteReporter#INTERVAL} and when its link comes
 * up: the backlog in its journal as the site sees it. The central stores the newest one per site
 * ({@link SiteReports}) under the site its certificate names; {@link #site} is what the site
 * believes it is called, checked against that and never used to decide whose report it is.
 *
 * <p>On the link a small JSON object, e.g. {@code {"v":1,"site":"north","reportedAt":
 * "2026-12-04T12:00:00Z","linkUp":true,"backlogMessages":0,"backlogReadings":0,
 * "oldestAgeSeconds":0,"busbarVersion":"1.0.0"}}; {@code backlogReadings} is null when the site
 * does not know it (see {@link OutboxReadings}).
 *
 * @param reportedAt      the site's clock when it took the figures
 * @param linkUp          whether the site's readings bridge was connected then
 * @param backlogMessages buffer messages (reading batches) in the site's outbox not yet confirmed
 *                        by the central: over a latent link the ones in flight, so rarely zero
 * @param backlogReadings the readings in them, when known
 * @param oldestAge       the age of the oldest reading waiting (zero when none wait)
 * @param busbarVersion   the site's Busbar version
 */
public record SiteReport(String site, Instant reportedAt, boolean linkUp, long backlogMessages,
                         OptionalLong backlogReadings, Duration oldestAge, String busbarVersion) {

    /** The format's version; a central refuses reports of another (a newer site must not be misread). */
    static final int VERSION = 1;
    /** A report is ~200 bytes; anything much larger is not one. */
    static final int MAX_BYTES = 4096;
    private static final int MAX_TEXT = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] encode() {
        ObjectNode node = JSON.createObjectNode()
                .put("v", VERSION)
                .put("site", site)
                .put("reportedAt", reportedAt.toString())
                .put("linkUp", linkUp)
                .put("backlogMessages", backlogMessages);
        if (backlogReadings.isPresent()) {
            node.put("backlogReadings", backlogReadings.getAsLong());
        } else {
            node.putNull("backlogReadings");
        }
        node.put("oldestAgeSeconds", oldestAge.toSeconds()).put("busbarVersion", busbarVersion);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a report.
     *
     * @throws IllegalArgumentException naming the first thing wrong with it
     */
    public static SiteReport decode(byte[] body) {
        if (body.length > MAX_BYTES) {
            throw new IllegalArgumentException(body.length + " bytes, a report has at most " + MAX_BYTES);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!node.path("v").isInt() || node.get("v").intValue() != VERSION) {
            throw new IllegalArgumentException("v: must be " + VERSION + ", was " + node.path("v"));
        }
        OptionalLong readings = node.path("backlogReadings").isNull() || node.path("backlogReadings").isMissingNode()
                ? OptionalLong.empty() : OptionalLong.of(count(node, "backlogReadings"));
        return new SiteReport(text(node, "site"), instant(node, "reportedAt"), bool(node, "linkUp"),
                count(node, "backlogMessages"), readings, Duration.ofSeconds(count(node, "oldestAgeSeconds")),
                text(node, "busbarVersion"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + ": must be a text of 1 to " + MAX_TEXT + " characters, was " + value);
        }
        return value.asText();
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new IllegalArgumentException(field + ": must be a whole number >= 0, was " + value);
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode node, String field) {
        if (!node.path(field).isBoolean()) {
            throw new IllegalArgumentException(field + ": must be true or false, was " + node.path(field));
        }
        return node.get(field).booleanValue();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": must be an ISO-8601 instant such as 2026-12-04T12:00:00Z, was '"
                    + text + "'");
        }
    }
}
