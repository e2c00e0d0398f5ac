package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The one authentication of the coordinator's operator routes: {@code Authorization: Bearer
 * <token>} naming a configured operator. It runs first on each such route, before the path or
 * the body is looked at; a call without it is answered 401 and goes no further. Reads and
 * countersignatures (whose signature is the credential) do not pass through it.
 */
final class OperatorAuth implements Handler<RoutingContext> {
    private static final String OPERATOR = "keyescrow.operator";

    private final Operators operators;
    private final Answers answers;

    OperatorAuth(Operators operators, Answers answers) {
        this.operators = operators;
        this.answers = answers;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            answers.refuse(ctx, RefusalReason.UNAUTHENTICATED,
                    "an operator bearer token is required (Authorization: Bearer)");
            return;
        }
        Optional<String> operator = operators.authenticate(header.substring(7).trim());
        if (operator.isEmpty()) {
            answers.refuse(ctx, RefusalReason.UNAUTHENTICATED, "the bearer token is not an operator's");
            return;
        }
        ctx.put(OPERATOR, operator.get());
        ctx.next();
    }

    /** The operator this handler authenticated for the call. */
    static String operator(RoutingContext ctx) {
        String operator = ctx.get(OPERATOR);
        if (operator == null) {
            throw new IllegalStateException("route without OperatorAuth asked for the operator");
        }
        return operator;
    }
}
