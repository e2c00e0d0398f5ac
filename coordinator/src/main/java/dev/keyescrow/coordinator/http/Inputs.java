package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.server.http.StrictJson;
import dev.keyescrow.server.http.StrictJson.BadJsonException;
import io.vertx.ext.web.RoutingContext;

/** Path parameters and bodies of a call, checked; each refusal names what was wrong. */
final class Inputs {
    private static final String IDENTIFIER = " must match [a-z0-9][a-z0-9-]{0,63}";

    private Inputs() {
    }

    /** The body read strictly ({@link StrictJson}) as {@code type}. */
    static <T> T body(RoutingContext ctx, Class<T> type) throws RefusedException, NotJsonException {
        String contentType = ctx.request().getHeader("content-type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new NotJsonException();
        }
        try {
            byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            return StrictJson.read(bytes, type);
        } catch (BadJsonException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    /** Path parameter {@code requestId}. */
    static String requestId(RoutingContext ctx) throws RefusedException {
        return identifier(ctx.pathParam("requestId"), "request id");
    }

    /** Path parameter {@code keyId}. */
    static String keyId(RoutingContext ctx) throws RefusedException {
        return identifier(ctx.pathParam("keyId"), "key id");
    }

    /** Path parameter {@code version}, after {@code keyId} is checked. */
    static int version(RoutingContext ctx) throws RefusedException {
        keyId(ctx);
        try {
            return (int) StrictJson.integerText(ctx.pathParam("version"), 1, Integer.MAX_VALUE,
                    "version must be a positive integer");
        } catch (BadJsonException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    /** An identifier ({@link Identifiers}); {@code field} names it in the refusal. */
    static String identifier(String value, String field) throws RefusedException {
        if (value == null || !Identifiers.isValid(value)) {
            throw new RefusedException(RefusalReason.MALFORMED, field + IDENTIFIER);
        }
        return value;
    }
}
