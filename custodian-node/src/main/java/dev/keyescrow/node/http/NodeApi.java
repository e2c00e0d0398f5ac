package dev.keyescrow.node.http;

import dev.keyescrow.server.http.FailureAnswer;
import dev.keyescrow.server.http.Problems;

import dev.keyescrow.server.http.KeyedWaiters;
import dev.keyescrow.server.http.PrometheusText;
import dev.keyescrow.server.http.RefusalLog;

import dev.keyescrow.server.http.StrictJson;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.Rfc3339;
import dev.keyescrow.core.policy.AnswerOutcome;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.hsm.TokenDescription;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.approval.NodeRefusalReason;
import dev.keyescrow.node.approval.NodeRefusedException;
import dev.keyescrow.node.approval.NodeRequestView;
import dev.keyescrow.server.http.StrictJson.BadJsonException;
import dev.keyescrow.node.http.dto.AnswerBody;
import dev.keyescrow.node.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The custodian node's endpoints (design: Contract: HTTP API, custodian node). Every
 * refusal is a 4xx problem document naming the problem, recorded in the bounded refusal
 * log and never in the journal; accepted answers go to the journal before the 201.
 */
public final class NodeApi {
    /** Bodies are small JSON objects; anything larger is refused before parsing. */
    public static final int BODY_LIMIT = 16 * 1024;
    private static final String PROBLEMS = "https://keyescrow.dev/problems/";
    /** Parked long polls at most; past it a long poll answers at once. */
    private static final int MAX_WAITERS = 1024;

    private final Vertx vertx;
    private final NodeService service;
    private final RefusalLog refusals;
    private final Supplier<TokenDescription> token;
    private final Consumer<Approval> onAccepted;
    private final NodeMetrics metrics;
    private final KeyedWaiters arrivals;
    private final CustodianPages pages = new CustodianPages();

    /**
     * @param token      describes the node's token for {@code GET /v1/node}
     * @param onAccepted told of every answer once it is journaled (the node publishes it to the cluster)
     */
    public NodeApi(Vertx vertx, NodeService service, RefusalLog refusals, Supplier<TokenDescription> token,
                   Consumer<Approval> onAccepted) {
        this(vertx, service, refusals, token, onAccepted, new NodeMetrics());
    }

    public NodeApi(Vertx vertx, NodeService service, RefusalLog refusals, Supplier<TokenDescription> token,
                   Consumer<Approval> onAccepted, NodeMetrics metrics) {
        this.vertx = vertx;
        this.service = service;
        this.refusals = refusals;
        this.token = token;
        this.onAccepted = onAccepted;
        this.metrics = metrics;
        this.arrivals = new KeyedWaiters(vertx, MAX_WAITERS);
        service.onRequestAdmitted(arrivals::changed);
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addBodyEndHandler(v -> metrics.http(ctx.response().getStatusCode()));
            ctx.next();
        });
        router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        // a worker: the readiness gauges run the checks (token probe, fsync)
        router.get("/metrics").handler(ctx -> blocking(ctx, metrics::render).onSuccess(text -> ctx.response()
                .putHeader("content-type", PrometheusText.CONTENT_TYPE).end(text)));
        router.get("/v1/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")
                .put("role", "node").put("nodeId", service.nodeId())));
        router.get("/v1/node").handler(this::describe);
        router.get("/v1/requests").handler(this::listRequests);
        router.get("/v1/requests/:requestId").handler(this::getRequest);
        router.post("/v1/requests/:requestId/approvals").handler(this::answer);
        router.get("/v1/shares").handler(ctx -> blocking(ctx, service::heldShares).onSuccess(shares -> {
            JsonArray out = new JsonArray();
            for (String s : shares) {
                String[] parts = s.split("/");
                out.add(new JsonObject().put("keyId", parts[0]).put("version", Integer.parseInt(parts[1]))
                        .put("index", Integer.parseInt(parts[2])));
            }
            json(ctx, 200, out);
        }));
        router.get("/v1/audit").handler(ctx -> blocking(ctx, service::head).onSuccess(head -> json(ctx, 200,
                new JsonObject().put("nodeId", service.nodeId()).put("sequence", head.sequence())
                        .put("head", head.hashHex()))));
        pages.mount(router);
        router.route().last().handler(ctx -> refuse(ctx, 404, "not-found",
                ctx.request().method() + " " + ctx.request().path() + " is not an endpoint of this node"));
        router.route().failureHandler(this::failure);
        return router;
    }

    private void describe(RoutingContext ctx) {
        blocking(ctx, token::get).onSuccess(d -> json(ctx, 200, new JsonObject().put("nodeId", service.nodeId())
                .put("identityPublicKey", Base64.getEncoder().encodeToString(service.identityPublicKey()))
                .put("coordinatorPublicKey", Base64.getEncoder().encodeToString(service.coordinatorPublicKey()))
                .put("identityFingerprint", d.identityFingerprint())
                .put("transportFingerprint", d.transportFingerprint())
                .put("token", d.label()).put("vault", d.kind().wireName())
                .put("mechanisms", new JsonArray(List.copyOf(d.mechanisms()))).put("epoch", d.currentEpoch())));
    }

    private void listRequests(RoutingContext ctx) {
        List<String> states = ctx.queryParam("state");
        RequestState state = null;
        if (!states.isEmpty()) {
            try {
                state = RequestState.valueOf(states.get(0));
            } catch (IllegalArgumentException e) {
                refuse(ctx, 400, "bad-query", "state must be one of " + List.of(RequestState.values()));
                return;
            }
        }
        RequestState filter = state;
        blocking(ctx, () -> service.views(filter)).onSuccess(views -> {
            JsonArray out = new JsonArray();
            views.forEach(v -> out.add(viewJson(v)));
            json(ctx, 200, out);
        });
    }

    private void getRequest(RoutingContext ctx) {
        String requestId = ctx.pathParam("requestId");
        if (!Identifiers.isValid(requestId)) {
            refuse(ctx, 400, "bad-request-id", "request id must match [a-z0-9][a-z0-9-]{0,63}");
            return;
        }
        Duration wait;
        try {
            wait = KeyedWaiters.parseWait(ctx.request().getParam("wait"), Duration.ZERO);
        } catch (IllegalArgumentException e) {
            refuse(ctx, 400, "bad-wait", e.getMessage());
            return;
        }
        Runnable answer = () -> blocking(ctx, () -> service.view(requestId))
                .onSuccess(view -> json(ctx, 200, viewJson(view)));
        if (wait.isZero()) {
            answer.run();
        } else {
            arrivals.answerWhenChanged(ctx, requestId, wait, () -> service.holdsRequest(requestId), answer);
        }
    }

    private void answer(RoutingContext ctx) {
        String requestId = ctx.pathParam("requestId");
        if (!Identifiers.isValid(requestId)) {
            refuse(ctx, 400, "bad-request-id", "request id must match [a-z0-9][a-z0-9-]{0,63}");
            return;
        }
        String contentType = ctx.request().getHeader("content-type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            refuse(ctx, 415, "unsupported-media-type", "the body must be application/json");
            return;
        }
        AnswerBody body;
        try {
            body = StrictJson.read(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(),
                    AnswerBody.class);
        } catch (BadJsonException e) {
            refuse(ctx, 400, "malformed", e.getMessage());
            return;
        }
        String problem = checkAnswer(body);
        if (problem != null) {
            refuse(ctx, 400, "malformed", problem);
            return;
        }
        blocking(ctx, () -> {
            NodeRequestView view = service.view(requestId);
            Approval approval = new Approval(requestId, view.digest(), body.custodianId(),
                    Decision.valueOf(body.decision()), Base64.getDecoder().decode(body.signature()));
            AnswerOutcome outcome;
            try {
                outcome = service.answer(approval);
            } catch (NodeRefusedException e) {
                metrics.answer("REFUSED");
                throw e;
            }
            metrics.answer(outcome.name());
            onAccepted.accept(approval);
            return new Object[] {outcome, service.view(requestId)};
        }).onSuccess(result -> {
            AnswerOutcome outcome = (AnswerOutcome) result[0];
            NodeRequestView view = (NodeRequestView) result[1];
            json(ctx, 201, new JsonObject().put("requestId", requestId).put("custodianId", body.custodianId())
                    .put("decision", body.decision()).put("outcome", outcome.name())
                    .put("state", view.state().name()).put("approvals", view.approvers().size())
                    .put("threshold", view.threshold()));
        });
    }

    /** Field checks of an answer body; the message names the field, or null when it is well-formed. */
    private static String checkAnswer(AnswerBody body) {
        if (body.custodianId() == null || body.decision() == null || body.signature() == null) {
            return "custodianId, decision and signature are required";
        }
        if (!Identifiers.isValid(body.custodianId())) {
            return "custodianId must match [a-z0-9][a-z0-9-]{0,63}";
        }
        if (!body.decision().equals("APPROVE") && !body.decision().equals("DENY")) {
            return "decision must be APPROVE or DENY";
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(body.signature());
        } catch (IllegalArgumentException e) {
            return "signature must be standard base64";
        }
        if (signature.length != 64) {
            return "signature must be the raw 64-byte Ed25519 signature, got " + signature.length + " bytes";
        }
        return null;
    }

    private static JsonObject viewJson(NodeRequestView v) {
        return new JsonObject().put("requestId", v.request().requestId()).put("operation", v.request().operation().name())
                .put("keyId", v.request().keyId()).put("version", v.request().version()).put("state", v.state().name())
                .put("expiresAt", Rfc3339.format(v.request().expiresAt())).put("requester", v.request().requester())
                .put("reason", v.request().reason()).put("approvals", v.approvers().size())
                .put("threshold", v.threshold()).put("canonical", v.canonical()).put("digest", v.digest())
                .put("coordinatorSignature", Base64.getEncoder().encodeToString(v.coordinatorSignature()))
                .put("kcv", v.kcv()).put("custodians", holdersJson(v));
    }

    /** Who may answer at this node, with the pinned Ed25519 key of each (base64 of the raw 32 bytes). */
    private static JsonArray holdersJson(NodeRequestView v) {
        JsonArray out = new JsonArray();
        v.holdersHere().forEach(h -> out.add(new JsonObject().put("custodianId", h.custodianId())
                .put("publicKey", Base64.getEncoder().encodeToString(h.publicKey()))));
        return out;
    }

    /** Runs {@code work} on a worker; a refusal becomes its problem document, any other failure a 500. */
    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return vertx.<T>executeBlocking(work, false).onFailure(e -> {
            if (e instanceof NodeRefusedException r) {
                NodeRefusalReason reason = r.reason();
                refusals.record(ctx.request().method().name(), ctx.request().path(), reason.status(), r.getMessage());
                Problems.send(ctx, reason.type(), reason.title(), reason.status(), r.getMessage());
            } else {
                FailureAnswer.of(e, "node", ctx.request().method().name() + " " + ctx.request().path()).send(ctx);
            }
        });
    }

    private void refuse(RoutingContext ctx, int status, String type, String detail) {
        if (status < 500) {
            refusals.record(ctx.request().method().name(), ctx.request().path(), status, detail);
        }
        Problems.send(ctx, PROBLEMS + type, titleOf(status), status, detail);
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            refuse(ctx, 413, "body-too-large", "the body exceeds " + BODY_LIMIT + " bytes");
        } else if (status >= 400 && status < 500) {
            refuse(ctx, status, "refused", "the call was refused");
        } else {
            Problems.send(ctx, PROBLEMS + "internal", "Internal Server Error", 500, "unexpected failure");
        }
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            default -> "Error";
        };
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode());
    }
}
