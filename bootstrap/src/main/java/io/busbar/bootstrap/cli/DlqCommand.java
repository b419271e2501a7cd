package io.busbar.bootstrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import io.busbar.bootstrap.security.ManagementAccess;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dlq",
        header = "List, show, replay or purge a running Busbar's dead letters.",
        description = {"Look at, replay or purge the dead letters of a running Busbar (through its /actuator/deadletters).",
                "  list    count and first reason per target",
                "  show    every dead letter of a target: key, reason, attempts, first and last failure",
                "  replay  send a target's dead letters back to its queue (after fixing the cause)",
                "  purge   delete a target's dead letters"})
public final class DlqCommand extends ConsoleCommand {

    enum Action { list, show, replay, purge }

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, show, replay or purge")
    Action action;

    @Option(names = {"-t", "--target"}, paramLabel = "TARGET", description = "The target (required for show, replay, purge).")
    String target;

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "Busbar's HTTP address (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--user", defaultValue = ManagementAccess.DEFAULT_USERNAME,
            description = "The management user when Busbar asks for a password (default: ${DEFAULT-VALUE}); the password"
                    + " is read from the environment variable " + ManagementAccess.PASSWORD_ENV + ".")
    String user;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many dead letters for show (default: ${DEFAULT-VALUE}).")
    int limit;

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Built when a dlq command sends its first request, not with the object: picocli instantiates every
     * subcommand at each start, and building an HttpClient loads the JDK's TLS stack and trust store,
     * a quarter of the main thread's CPU samples before Spring starts in {@code busbar run} (issue 12).
     */
    private HttpClient http;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        PrintWriter err = err();
        if (action != Action.list && target == null) {
            err.println("dlq " + action + " needs --target TARGET");
            return ExitCodes.INVALID;
        }
        try {
            return switch (action) {
                case list -> list(out, err);
                case show -> show(out, err);
                case replay, purge -> act(out, err);
            };
        } catch (ConnectException e) {
            err.println("No Busbar answers at " + url + ": start it, or point --url at it.");
            return ExitCodes.RUNTIME_FAILURE;
        } catch (IOException e) {
            err.println("Talking to Busbar at " + url + " failed: " + e.getMessage());
            return ExitCodes.RUNTIME_FAILURE;
        }
    }

    private int list(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url.resolve("/actuator/deadletters")).GET());
        if (response.statusCode() != 200) {
            return unexpected(err, response);
        }
        JsonNode targets = JSON.readTree(response.body()).path("targets");
        out.printf("%-24s %10s  %s%n", "TARGET", "DEAD", "FIRST REASON");
        for (Iterator<Map.Entry<String, JsonNode>> it = targets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (target != null && !target.equals(entry.getKey())) {
                continue;
            }
            JsonNode samples = entry.getValue().path("samples");
            out.printf("%-24s %10d  %s%n", entry.getKey(), entry.getValue().path("count").asLong(),
                    samples.isEmpty() ? "" : samples.get(0).path("reason").asText());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int show(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                url.resolve("/actuator/deadletters/" + target + "?limit=" + limit)).GET());
        if (response.statusCode() == 404) {
            return unknownTarget(err);
        }
        if (response.statusCode() != 200) {
            return unexpected(err, response);
        }
        JsonNode view = JSON.readTree(response.body());
        out.printf("%s: %d dead letter(s)%n", target, view.path("count").asLong());
        for (JsonNode letter : view.path("deadLetters")) {
            out.printf("- key: %s%n  reason: %s%n  attempts: %s, first failure: %s, last failure: %s%n",
                    letter.path("key").asText("(undecodable message)"), letter.path("reason").asText(),
                    letter.path("attempts").asText(), letter.path("firstFailure").asText(), letter.path("lastFailure").asText());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int act(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url.resolve("/actuator/deadletters/" + target))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\"}")));
        if (response.statusCode() == 404) {
            return unknownTarget(err);
        }
        if (response.statusCode() != 200) {
            return unexpected(err, response);
        }
        JsonNode result = JSON.readTree(response.body());
        out.printf("%s: %s %d dead letter(s); %d remain%n", target, action == Action.replay ? "replayed" : "purged",
                result.path("messages").asLong(), result.path("remaining").asLong());
        out.flush();
        return ExitCodes.OK;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String password = System.getenv(ManagementAccess.PASSWORD_ENV);
        if (password != null && !password.isBlank()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            throw new IOException("Busbar asks for the management password: set " + ManagementAccess.PASSWORD_ENV
                    + " (and --user if it is not '" + ManagementAccess.DEFAULT_USERNAME + "')"
                    + (password == null ? "" : "; the one given was refused"));
        }
        return response;
    }

    private int unknownTarget(PrintWriter err) {
        err.println("Busbar at " + url + " has no target '" + target + "'.");
        return ExitCodes.INVALID;
    }

    private static int unexpected(PrintWriter err, HttpResponse<String> response) {
        err.println("Busbar answered HTTP " + response.statusCode() + ": " + response.body());
        return ExitCodes.RUNTIME_FAILURE;
    }
}
