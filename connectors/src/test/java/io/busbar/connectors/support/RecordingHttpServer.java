package io.busbar.connectors.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server (the JDK's) on 127.0.0.1 that records every request and answers from a script:
 * scripted answers are used in order, then the {@linkplain #otherwise default}. It can be stopped and
 * started again on the same port.
 */
public final class RecordingHttpServer implements AutoCloseable {

    /** A request as the server received it. */
    public record Request(String method, String path, String query, Headers headers, String body, long receivedNanos) {
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** An answer: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer of(int status) {
            return new Answer(status, Map.of(), "");
        }

        public static Answer of(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.put(name, value);
            return new Answer(status, all, body);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Function<Request, Answer>> defaults = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpServer server;
    private int port;

    public RecordingHttpServer() throws IOException {
        start(0);
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The next answers for requests to {@code path}, in order. */
    public synchronized RecordingHttpServer script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    /** How {@code path} answers once its script is used up (default: 204 No Content). */
    public RecordingHttpServer otherwise(String path, Function<Request, Answer> answer) {
        defaults.put(path, answer);
        return this;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /**
     * Not under the lock: the server's stop waits for its dispatcher, which may be answering a
     * request and need the lock for its answer (a client still sending when a test closes this).
     */
    public void stop() {
        HttpServer running;
        synchronized (this) {
            running = server;
        }
        running.stop(0);
    }

    public synchronized void restart() throws IOException {
        start(port);
    }

    @Override
    public void close() {
        stop();
    }

    private void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body, System.nanoTime());
        requests.add(request);
        Answer answer = answerFor(request);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private synchronized Answer answerFor(Request request) {
        Deque<Answer> script = scripts.get(request.path());
        if (script != null && !script.isEmpty()) {
            return script.poll();
        }
        return defaults.getOrDefault(request.path(), r -> Answer.of(204)).apply(request);
    }
}
