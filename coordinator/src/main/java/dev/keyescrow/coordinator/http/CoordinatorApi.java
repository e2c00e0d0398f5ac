package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.metrics.CoordinatorMetrics;
import dev.keyescrow.server.http.KeyedWaiters;
import dev.keyescrow.server.http.RefusalLog;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The coordinator's endpoints (design: Contract: HTTP API, coordinator), assembled from one
 * class per resource. Operator calls need {@code Authorization: Bearer <token>}
 * ({@link OperatorAuth}); reads and countersignatures (whose signature is the credential) do
 * not. Every refusal is a problem document naming the problem, recorded in the bounded refusal
 * log, never in the journal ({@link Answers}); accepted changes are journaled before the
 * answer. Bodies are size-limited and parsed strictly ({@link Inputs}).
 */
public final class CoordinatorApi {
    /** Parked long polls at most; past it a long poll answers at once. */
    private static final int MAX_WAITERS = 1024;

    private final Vertx vertx;
    private final Coordinator coordinator;
    private final Operators operators;
    private final CoordinatorMetrics metrics;
    private final KeyedWaiters requestWaiters;
    private final Answers answers;
    private final int bodyLimit;

    public CoordinatorApi(Vertx vertx, Coordinator coordinator, Operators operators, RefusalLog refusals,
            int bodyLimit) {
        this(vertx, coordinator, operators, refusals, bodyLimit, new CoordinatorMetrics());
    }

    public CoordinatorApi(Vertx vertx, Coordinator coordinator, Operators operators, RefusalLog refusals,
            int bodyLimit, CoordinatorMetrics metrics) {
        this.vertx = vertx;
        this.coordinator = coordinator;
        this.operators = operators;
        this.metrics = metrics;
        this.requestWaiters = new KeyedWaiters(vertx, MAX_WAITERS);
        coordinator.service().onRequestChanged(requestWaiters::changed);
        this.answers = new Answers(vertx, refusals, bodyLimit);
        this.bodyLimit = bodyLimit;
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addBodyEndHandler(v -> metrics.http(ctx.response().getStatusCode()));
            ctx.next();
        });
        router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
        OperatorAuth auth = new OperatorAuth(operators, answers);
        new ServiceRoutes(coordinator, metrics, requestWaiters, answers).mount(router);
        new CustodianRoutes(coordinator, auth, answers).mount(router);
        new KeyRoutes(coordinator, auth, answers).mount(router);
        new RequestRoutes(coordinator, requestWaiters, auth, answers).mount(router);
        new SessionRoutes(coordinator, auth, answers).mount(router);
        new AuditRoutes(coordinator, answers).mount(router);
        router.route().last().handler(ctx -> answers.refuse(ctx, RefusalReason.NOT_FOUND, ctx.request().method() + " "
                + ctx.request().path() + " is not an endpoint of the coordinator"));
        router.route().failureHandler(answers::failure);
        return router;
    }
}
