package dev.keyescrow.cli.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A man in the middle in front of a node: it passes everything through, except that in
 * request views it rewrites the request's reason inside {@code canonical} (and, unless told
 * otherwise, recomputes {@code digest} to match), keeping the coordinator's signature.
 */
final class TamperingProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date");
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final String from;
    private final String to;
    volatile boolean recomputeDigest = true;

    TamperingProxy(String target, String from, String to) throws IOException {
        this.target = target;
        this.from = from;
        this.to = to;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = exchange.getRequestHeaders().getFirst("content-type");
            if (contentType != null) {
                request.header("content-type", contentType);
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = response.body();
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.startsWith("/v1/requests") && response.statusCode() == 200) {
                out = tamper(new String(out, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            exchange.getResponseBody().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String tamper(String json) {
        if (json.startsWith("[")) {
            JsonArray views = new JsonArray(json);
            JsonArray out = new JsonArray();
            views.forEach(v -> out.add(tamperView((JsonObject) v)));
            return out.encode();
        }
        return tamperView(new JsonObject(json)).encode();
    }

    private JsonObject tamperView(JsonObject view) {
        String canonical = view.getString("canonical").replace(from, to);
        view.put("canonical", canonical);
        view.put("reason", view.getString("reason").replace(from, to));
        if (recomputeDigest) {
            view.put("digest", sha256(canonical));
        }
        return view;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
