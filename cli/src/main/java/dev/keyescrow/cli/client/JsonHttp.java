package dev.keyescrow.cli.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** JSON over HTTP with problem documents turned into {@link ApiException}s. */
final class JsonHttp {
    /** Generous: a member on a loaded machine can take seconds to accept (5 s failed once under load). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final TlsTrust trust;
    private final String base;
    private final String bearer;

    JsonHttp(String base, String bearer, TlsTrust trust) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.bearer = bearer;
        this.trust = trust;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .sslContext(trust.sslContext())
                .build();
    }

    Object send(String method, String path, JsonObject body, boolean authenticate) throws ApiException {
        String text = text(method, path, body, authenticate);
        if (text == null || text.isBlank()) {
            return new JsonObject();
        }
        return text.trim().startsWith("[") ? new JsonArray(text) : new JsonObject(text);
    }

    /** The answer's body exactly as sent, for documents whose bytes matter (the export bundle). */
    String text(String method, String path, JsonObject body, boolean authenticate) throws ApiException {
        return exchange(method, path, body, authenticate).body();
    }

    /** One page of a paged list: its items and the path of the next page, if its {@code Link} header names one. */
    record Page(JsonArray items, java.util.Optional<String> next) {
    }

    /** A GET of one page of a list whose next page is announced by {@code Link: <path>; rel="next"}. */
    Page page(String path, boolean authenticate) throws ApiException {
        HttpResponse<String> response = exchange("GET", path, null, authenticate);
        JsonArray items = new JsonArray(response.body());
        return new Page(items, response.headers().firstValue("link").flatMap(JsonHttp::nextOf));
    }

    /** The target of a {@code rel="next"} link, if it is a path on this server (never another host). */
    static java.util.Optional<String> nextOf(String link) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<(/[^>]*)>\\s*;\\s*rel=\"next\"").matcher(link);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private HttpResponse<String> exchange(String method, String path, JsonObject body, boolean authenticate)
            throws ApiException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (authenticate && bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (SSLException e) {
            throw new ApiException(0, "cannot reach " + base + " over TLS: " + tlsReason(e) + "; " + trust.advice());
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach " + base + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
        String text = response.body();
        if (response.statusCode() >= 400) {
            String detail = text;
            try {
                JsonObject problem = new JsonObject(text);
                detail = problem.getString("detail", problem.getString("title", text));
            } catch (DecodeException | ClassCastException e) {
                // not a problem document: keep the body
            }
            throw new ApiException(response.statusCode(), method + " " + path + ": " + response.statusCode() + " "
                    + detail);
        }
        return response;
    }

    /** The innermost certificate complaint (a pin mismatch, "PKIX path building failed", a host name): no secret. */
    private static String tlsReason(SSLException e) {
        Throwable reason = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TlsTrust.PinMismatchException) {
                return t.getMessage();
            }
            if (t instanceof java.security.cert.CertificateException || t instanceof SSLException) {
                reason = t;
            }
        }
        return reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
    }

    JsonObject object(String method, String path, JsonObject body, boolean authenticate) throws ApiException {
        return (JsonObject) send(method, path, body, authenticate);
    }

    JsonArray array(String path, boolean authenticate) throws ApiException {
        return (JsonArray) send("GET", path, null, authenticate);
    }
}
