package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.http.dto.RequestBody;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.quorum.RequestIssuer;
import dev.keyescrow.core.format.Rfc3339;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.server.http.KeyedWaiters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Arrays;

/** Requests: issue one for a key and cancel it (operator); list them, read one or wait for it to change. */
final class RequestRoutes {
    /** How long a long poll waits when the client names no {@code wait}. */
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final Coordinator coordinator;
    private final KeyedWaiters requestWaiters;
    private final OperatorAuth auth;
    private final Answers answers;

    RequestRoutes(Coordinator coordinator, KeyedWaiters requestWaiters, OperatorAuth auth, Answers answers) {
        this.coordinator = coordinator;
        this.requestWaiters = requestWaiters;
        this.auth = auth;
        this.answers = answers;
    }

    void mount(Router router) {
        router.post("/v1/keys/:keyId/requests").handler(auth).handler(answers.checked(this::create));
        router.get("/v1/requests").handler(ctx -> answers.blocking(ctx, coordinator::requests).onSuccess(list -> {
            JsonArray out = new JsonArray();
            list.forEach(v -> out.add(Views.request(v)));
            Answers.json(ctx, 200, out);
        }));
        router.get("/v1/requests/:requestId").handler(answers.checked(this::get));
        router.post("/v1/requests/:requestId/cancel").handler(auth).handler(answers.checked(this::cancel));
    }

    /**
     * A request view; with {@code changedFrom=STATE} a long poll that answers once the state
     * is no longer STATE, or after {@code wait} seconds (default 30) with the view as it is.
     */
    private void get(RoutingContext ctx) throws RefusedException {
        String id = Inputs.requestId(ctx);
        Runnable answer = () -> answers.blocking(ctx, () -> coordinator.request(id))
                .onSuccess(v -> Answers.json(ctx, 200, Views.request(v)));
        String from = ctx.request().getParam("changedFrom");
        if (from == null) {
            answer.run();
            return;
        }
        RequestState unwanted;
        try {
            unwanted = RequestState.valueOf(from);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, "changedFrom must be a request state (PENDING,"
                    + " APPROVED, ACTIVE, EXECUTED, DENIED, EXPIRED, CANCELLED or FAILED)");
        }
        Duration wait;
        try {
            wait = KeyedWaiters.parseWait(ctx.request().getParam("wait"), DEFAULT_WAIT);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
        requestWaiters.answerWhenChanged(ctx, id, wait, () -> coordinator.request(id).state() != unwanted, answer);
    }

    private void create(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        RequestBody b = Inputs.body(ctx, RequestBody.class);
        String keyId = ctx.pathParam("keyId");
        answers.blocking(ctx, () -> {
            Inputs.identifier(keyId, "key id");
            if (b.operation() == null || b.reason() == null) {
                throw new RefusedException(RefusalReason.MALFORMED, "operation and reason are required");
            }
            Operation operation;
            try {
                operation = Operation.valueOf(b.operation());
            } catch (IllegalArgumentException e) {
                throw new RefusedException(RefusalReason.MALFORMED, "operation must be one of "
                        + Arrays.toString(Operation.values()));
            }
            long ttl = b.ttlSeconds() == null ? RequestIssuer.DEFAULT_TTL_SECONDS : b.ttlSeconds();
            return coordinator.createRequest(operator, keyId, b.version(), operation, b.reason(), ttl,
                    RequestParamsReader.params(operation, b.params()));
        }).onSuccess(v -> Answers.json(ctx, 201, new JsonObject().put("requestId", v.requestId())
                .put("digest", v.digest()).put("expiresAt", Rfc3339.format(v.request().expiresAt()))
                .put("state", v.state().name()).put("keyId", v.request().keyId())
                .put("version", v.request().version()).put("canonical", v.canonical())));
    }

    private void cancel(RoutingContext ctx) throws RefusedException {
        String operator = OperatorAuth.operator(ctx);
        String requestId = Inputs.requestId(ctx);
        answers.blocking(ctx, () -> coordinator.cancel(operator, requestId))
                .onSuccess(v -> Answers.json(ctx, 200, Views.request(v)));
    }
}
