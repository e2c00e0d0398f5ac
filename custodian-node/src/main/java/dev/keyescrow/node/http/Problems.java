package dev.keyescrow.node.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem documents ({@code application/problem+json}). */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    /** A problem document; {@code detail} must hold public values only. */
    public static JsonObject document(String type, String title, int status, String detail, String instance) {
        return new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail)
                .put("instance", instance);
    }

    public static void send(RoutingContext ctx, String type, String title, int status, String detail) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", CONTENT_TYPE)
                .end(document(type, title, status, detail, ctx.request().path()).encode());
    }
}
