package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.metrics.CoordinatorMetrics;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.server.http.KeyedWaiters;
import dev.keyescrow.server.http.PrometheusText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.EnumMap;
import java.util.Map;

/** The coordinator itself: {@code /v1/health}, {@code /v1/coordinator}, {@code /v1/nodes}, {@code /metrics}. */
final class ServiceRoutes {
    private final Coordinator coordinator;
    private final CoordinatorMetrics metrics;
    private final KeyedWaiters requestWaiters;
    private final Answers answers;

    ServiceRoutes(Coordinator coordinator, CoordinatorMetrics metrics, KeyedWaiters requestWaiters, Answers answers) {
        this.coordinator = coordinator;
        this.metrics = metrics;
        this.requestWaiters = requestWaiters;
        this.answers = answers;
    }

    void mount(Router router) {
        router.get("/metrics").handler(ctx -> answers.blocking(ctx, () -> metrics.render(snapshot()))
                .onSuccess(text -> ctx.response().putHeader("content-type", PrometheusText.CONTENT_TYPE).end(text)));
        router.get("/v1/health").handler(ctx -> Answers.json(ctx, 200, new JsonObject().put("status", "UP")
                .put("role", "coordinator").put("coordinatorId", coordinator.id())));
        router.get("/v1/nodes").handler(ctx -> {
            JsonArray out = new JsonArray();
            coordinator.nodes().forEach(n -> out.add(Views.node(n)));
            Answers.json(ctx, 200, out);
        });
        router.get("/v1/coordinator").handler(ctx -> Answers.json(ctx, 200, new JsonObject()
                .put("id", coordinator.id())
                .put("transportPublicKey", Base64Fields.encode(coordinator.transportPublicKey()))));
    }

    private CoordinatorMetrics.Snapshot snapshot() {
        Map<RequestState, Long> byState = new EnumMap<>(RequestState.class);
        coordinator.requests().forEach(v -> byState.merge(v.state(), 1L, Long::sum));
        return new CoordinatorMetrics.Snapshot(byState, coordinator.service().recordCounts(),
                coordinator.openSessions(), requestWaiters.parked(), coordinator.sealedKeyIds().size(),
                coordinator.republishedAnswers(), coordinator.auditReads());
    }
}
