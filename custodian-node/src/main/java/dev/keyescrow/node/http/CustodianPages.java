package dev.keyescrow.node.http;

import dev.keyescrow.core.format.Identifiers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The custodian web page under {@code /ui}: static HTML, CSS and ES modules read from the
 * jar once, served with a strict Content Security Policy (own origin only, no inline script
 * or style, never framed). The pages read the node's public API ({@code /v1/...}) and do all
 * checking and signing in the browser; nothing here handles a custodian's key.
 *
 * <p>Only the files named in {@link #ASSETS} are served: no directory listing, no path
 * taken from the request reaches the class path.
 */
public final class CustodianPages {
    static final String ROOT = "keyescrow-ui/";
    /** Every header a page or asset carries. */
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                    + "form-action 'none'; object-src 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cache-Control", "no-store");
    private static final Map<String, String> ASSETS = Map.of(
            "ui.css", "text/css; charset=utf-8",
            "bytes.js", "text/javascript; charset=utf-8",
            "der.js", "text/javascript; charset=utf-8",
            "key-file.js", "text/javascript; charset=utf-8",
            "request-text.js", "text/javascript; charset=utf-8",
            "checks.js", "text/javascript; charset=utf-8",
            "list.js", "text/javascript; charset=utf-8",
            "request.js", "text/javascript; charset=utf-8",
            "key-check.js", "text/javascript; charset=utf-8");
    private static final String HTML = "text/html; charset=utf-8";

    private final Map<String, Buffer> files = new LinkedHashMap<>();

    /** Reads every page and asset from the class path; a missing one fails here, at start-up. */
    public CustodianPages() {
        for (String page : new String[] {"index.html", "request.html", "key-check.html"}) {
            files.put(page, load(page));
        }
        ASSETS.keySet().forEach(name -> files.put(name, load(name)));
    }

    /** Mounts the pages on {@code router}; call before the router's catch-all. */
    public void mount(Router router) {
        // Vert.x matches "/ui" here too; the pages use absolute paths, so both work
        router.get("/ui/").handler(ctx -> send(ctx, "index.html", HTML));
        router.get("/ui/key-check").handler(ctx -> send(ctx, "key-check.html", HTML));
        router.get("/ui/requests/:requestId").handler(ctx -> {
            if (Identifiers.isValid(ctx.pathParam("requestId"))) {
                send(ctx, "request.html", HTML);
            } else {
                ctx.next();
            }
        });
        router.get("/ui/assets/:file").handler(ctx -> {
            String type = ASSETS.get(ctx.pathParam("file"));
            if (type != null) {
                send(ctx, ctx.pathParam("file"), type);
            } else {
                ctx.next();
            }
        });
    }

    private void send(RoutingContext ctx, String name, String contentType) {
        secured(ctx.response()).putHeader("content-type", contentType).end(files.get(name));
    }

    private static HttpServerResponse secured(HttpServerResponse response) {
        HEADERS.forEach(response::putHeader);
        return response;
    }

    private static Buffer load(String name) {
        try (InputStream in = CustodianPages.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the custodian page " + ROOT + name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
