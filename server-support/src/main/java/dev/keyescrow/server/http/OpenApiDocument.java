package dev.keyescrow.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A server's OpenAPI 3.1 document, a JSON resource packaged with the server, answered at
 * {@code GET /v1/openapi.json} without a token. It is read and parsed once when the server
 * starts, so a broken or missing document stops the start instead of answering 500 later.
 */
public final class OpenApiDocument {
    public static final String PATH = "/v1/openapi.json";

    private final Buffer body;

    private OpenApiDocument(Buffer body) {
        this.body = body;
    }

    /** The document at {@code resource} on {@code owner}'s class path (e.g. {@code /openapi/node.json}). */
    public static OpenApiDocument fromResource(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + resource + " is not packaged");
            }
            Buffer body = Buffer.buffer(in.readAllBytes());
            JsonObject parsed = new JsonObject(body);
            if (!parsed.getString("openapi", "").startsWith("3.1.")) {
                throw new IllegalStateException("the OpenAPI document " + resource + " is not OpenAPI 3.1");
            }
            return new OpenApiDocument(body);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the OpenAPI document " + resource, e);
        } catch (DecodeException e) {
            throw new IllegalStateException("the OpenAPI document " + resource + " is not JSON", e);
        }
    }

    /** The document's bytes as served. */
    public Buffer body() {
        return body.copy();
    }

    /** Adds {@link #PATH} to {@code router}. */
    public void mount(Router router) {
        router.get(PATH).handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-cache").end(body.copy()));
    }
}
