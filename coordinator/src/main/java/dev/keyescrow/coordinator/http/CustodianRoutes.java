package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.enrolment.Retirement;
import dev.keyescrow.coordinator.http.dto.CustodianBody;
import dev.keyescrow.coordinator.http.dto.RetirementBody;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** {@code /v1/custodians}: list, register (operator), retire (operator). */
final class CustodianRoutes {
    private final Coordinator coordinator;
    private final OperatorAuth auth;
    private final Answers answers;

    CustodianRoutes(Coordinator coordinator, OperatorAuth auth, Answers answers) {
        this.coordinator = coordinator;
        this.auth = auth;
        this.answers = answers;
    }

    void mount(Router router) {
        router.get("/v1/custodians").handler(ctx -> answers.blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            coordinator.custodians().forEach(c -> out.add(Views.custodian(c, coordinator.retirement(c.id()))));
            return out;
        }).onSuccess(out -> Answers.json(ctx, 200, out)));
        router.post("/v1/custodians").handler(auth).handler(answers.checked(this::register));
        router.post("/v1/custodians/:custodianId/retirement").handler(auth).handler(answers.checked(this::retire));
    }

    private void register(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        CustodianBody b = Inputs.body(ctx, CustodianBody.class);
        answers.blocking(ctx, () -> {
            Inputs.identifier(b.id(), "id");
            Inputs.identifier(b.nodeId(), "nodeId");
            byte[] publicKey = Base64Fields.decode(b.publicKey(), "publicKey", 32);
            if (!Ed25519.isValidPublicKey(publicKey)) {
                throw new RefusedException(RefusalReason.MALFORMED, "publicKey must be an Ed25519 public key of prime"
                        + " order in canonical encoding (not a small-order point, not y >= p)");
            }
            return coordinator.registerCustodian(operator, b.id(), publicKey, b.nodeId());
        }).onSuccess(c -> Answers.json(ctx, 201, Views.custodian(c, Optional.empty())));
    }

    /** Retires a custodian id no live version uses (409 naming the versions that still do). */
    private void retire(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        String custodianId = Inputs.identifier(ctx.pathParam("custodianId"), "custodian id");
        String reason = Inputs.body(ctx, RetirementBody.class).reason();
        answers.blocking(ctx, () -> {
            try {
                Retirement.requireReason(reason);
            } catch (IllegalArgumentException e) {
                throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
            }
            return coordinator.retireCustodian(operator, custodianId, reason);
        }).onSuccess(r -> Answers.json(ctx, 201, Views.retirement(r)));
    }
}
