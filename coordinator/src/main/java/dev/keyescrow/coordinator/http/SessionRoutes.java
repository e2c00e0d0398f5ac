package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.http.dto.DecryptBody;
import dev.keyescrow.coordinator.http.dto.EncryptBody;
import dev.keyescrow.coordinator.http.dto.SignBody;
import dev.keyescrow.coordinator.ledger.RefusedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What an approved request is used for, all by an operator: encrypt and decrypt in a USE
 * session, the signature of a SIGN, the bundle of an EXPORT.
 */
final class SessionRoutes {
    private final Coordinator coordinator;
    private final OperatorAuth auth;
    private final Answers answers;

    SessionRoutes(Coordinator coordinator, OperatorAuth auth, Answers answers) {
        this.coordinator = coordinator;
        this.auth = auth;
        this.answers = answers;
    }

    void mount(Router router) {
        router.post("/v1/requests/:requestId/encrypt").handler(auth).handler(answers.checked(this::encrypt));
        router.post("/v1/requests/:requestId/decrypt").handler(auth).handler(answers.checked(this::decrypt));
        router.post("/v1/requests/:requestId/sign").handler(auth).handler(answers.checked(this::sign));
        router.post("/v1/requests/:requestId/export").handler(auth).handler(answers.checked(this::export));
    }

    private void encrypt(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        String requestId = Inputs.requestId(ctx);
        EncryptBody body = Inputs.body(ctx, EncryptBody.class);
        answers.blocking(ctx, () -> coordinator.encrypt(operator, requestId,
                Base64Fields.decode(body.plaintext(), "plaintext"), Base64Fields.optional(body.aad(), "aad")))
                .onSuccess(c -> Answers.json(ctx, 200, new JsonObject().put("ciphertext", Base64Fields.encode(c))));
    }

    private void decrypt(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        String requestId = Inputs.requestId(ctx);
        DecryptBody body = Inputs.body(ctx, DecryptBody.class);
        answers.blocking(ctx, () -> coordinator.decrypt(operator, requestId,
                Base64Fields.decode(body.ciphertext(), "ciphertext"), Base64Fields.optional(body.aad(), "aad")))
                .onSuccess(p -> Answers.json(ctx, 200, new JsonObject().put("plaintext", Base64Fields.encode(p))));
    }

    private void sign(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        String requestId = Inputs.requestId(ctx);
        SignBody body = Inputs.body(ctx, SignBody.class);
        answers.blocking(ctx, () -> coordinator.sign(operator, requestId,
                Base64Fields.decode(body.message(), "message")))
                .onSuccess(s -> Answers.json(ctx, 200, new JsonObject().put("signature", Base64Fields.encode(s))));
    }

    private void export(RoutingContext ctx) throws RefusedException {
        String operator = OperatorAuth.operator(ctx);
        String requestId = Inputs.requestId(ctx);
        // the bundle's canonical bytes as they are: ciphertext for the recipient and public values only
        answers.blocking(ctx, () -> coordinator.takeExport(operator, requestId).encode())
                .onSuccess(bytes -> ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
                        .end(Buffer.buffer(bytes)));
    }
}
