package dev.keyescrow.server.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem documents ({@code application/problem+json}). */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://keyescrow.dev/problems/";

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
        if (status == 401) {
            ctx.response().putHeader("www-authenticate", "Bearer");
        }
        ctx.response().setStatusCode(status).putHeader("content-type", CONTENT_TYPE)
                .end(document(type, title, status, detail, ctx.request().path()).encode());
    }
}
