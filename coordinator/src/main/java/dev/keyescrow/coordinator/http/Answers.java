package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.server.http.FailureAnswer;
import dev.keyescrow.server.http.Problems;
import dev.keyescrow.server.http.RefusalLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/**
 * How every route of the coordinator answers: work on a worker, JSON bodies, and the one
 * mapping of failures — a refusal becomes its problem document (4xx ones also go to the bounded
 * refusal log), anything else becomes the {@link FailureAnswer} both servers share.
 */
final class Answers {
    /** A route's handler; a refusal it throws on the event loop is answered like one from a worker. */
    @FunctionalInterface
    interface Checked {
        void handle(RoutingContext ctx) throws RefusedException, NotJsonException;
    }

    private final Vertx vertx;
    private final RefusalLog refusals;
    private final int bodyLimit;

    Answers(Vertx vertx, RefusalLog refusals, int bodyLimit) {
        this.vertx = vertx;
        this.refusals = refusals;
        this.bodyLimit = bodyLimit;
    }

    /** {@code handler}, with the refusals it throws answered as problem documents. */
    Handler<RoutingContext> checked(Checked handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (RefusedException e) {
                refuse(ctx, e.reason(), e.getMessage());
            } catch (NotJsonException e) {
                refuse(ctx, RefusalReason.MALFORMED, 415, e.getMessage());
            }
        };
    }

    /** Runs {@code work} on a worker; a refusal becomes its problem document. */
    <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return vertx.<T>executeBlocking(work, false).onFailure(e -> {
            if (e instanceof RefusedException r) {
                refuse(ctx, r.reason(), r.getMessage());
            } else {
                FailureAnswer.of(e, "coordinator", ctx.request().method().name() + " " + ctx.request().path())
                        .send(ctx);
            }
        });
    }

    void refuse(RoutingContext ctx, RefusalReason reason, String detail) {
        refuse(ctx, reason, reason.status(), detail);
    }

    private void refuse(RoutingContext ctx, RefusalReason reason, int status, String detail) {
        if (status < 500) {
            refusals.record(ctx.request().method().name(), ctx.request().path(), status, detail);
        }
        String type = status == 415 ? Problems.TYPE_BASE + "unsupported-media-type" : reason.type();
        String title = status == 415 ? "Unsupported Media Type" : reason.title();
        Problems.send(ctx, type, title, status, detail);
    }

    /** The router's failure handler: a body too large, another refusal by Vert.x, or an unexpected failure. */
    void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            refusals.record(ctx.request().method().name(), ctx.request().path(), 413, "body too large");
            Problems.send(ctx, Problems.TYPE_BASE + "body-too-large", "Content Too Large", 413,
                    "the body exceeds " + bodyLimit + " bytes");
        } else if (status >= 400 && status < 500) {
            refusals.record(ctx.request().method().name(), ctx.request().path(), status, "refused");
            Problems.send(ctx, Problems.TYPE_BASE + "refused", "Refused", status, "the call was refused");
        } else {
            Problems.send(ctx, Problems.TYPE_BASE + "internal", "Internal Server Error", 500, "unexpected failure");
        }
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    static void json(RoutingContext ctx, int status, JsonArray body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
