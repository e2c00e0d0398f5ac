package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.http.dto.DecryptBody;
import dev.keyescrow.coordinator.http.dto.EncryptBody;
import dev.keyescrow.coordinator.http.dto.SignBody;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.error.KeyEscrowException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

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
        router.post("/v1/requests/:requestId/encrypt").handler(auth)
                .handler(answers.checked(bytesAnswer(EncryptBody.class, "ciphertext", this::encrypt)));
        router.post("/v1/requests/:requestId/decrypt").handler(auth)
                .handler(answers.checked(bytesAnswer(DecryptBody.class, "plaintext", this::decrypt)));
        router.post("/v1/requests/:requestId/sign").handler(auth)
                .handler(answers.checked(bytesAnswer(SignBody.class, "signature", this::sign)));
        router.post("/v1/requests/:requestId/export").handler(auth).handler(answers.checked(this::export));
    }

    /** A session operation on a worker: the operator, the request and its body in, bytes out. */
    @FunctionalInterface
    private interface BytesOperation<B> {
        byte[] apply(String operator, String requestId, B body) throws Exception;
    }

    /**
     * A route that reads the operator, the request id and a {@code bodyType} body on the event
     * loop, runs {@code operation} on a worker and answers its bytes as the base64 {@code field}.
     */
    private <B> Answers.Checked bytesAnswer(Class<B> bodyType, String field, BytesOperation<B> operation) {
        return ctx -> {
            String operator = OperatorAuth.operator(ctx);
            String requestId = Inputs.requestId(ctx);
            B body = Inputs.body(ctx, bodyType);
            answers.blocking(ctx, () -> operation.apply(operator, requestId, body))
                    .onSuccess(b -> Answers.json(ctx, 200, new JsonObject().put(field, Base64Fields.encode(b))));
        };
    }

    private byte[] encrypt(String operator, String requestId, EncryptBody body)
            throws RefusedException, IOException, KeyEscrowException {
        return coordinator.encrypt(operator, requestId, Base64Fields.decode(body.plaintext(), "plaintext"),
                Base64Fields.optional(body.aad(), "aad"));
    }

    private byte[] decrypt(String operator, String requestId, DecryptBody body)
            throws RefusedException, IOException, KeyEscrowException {
        return coordinator.decrypt(operator, requestId, Base64Fields.decode(body.ciphertext(), "ciphertext"),
                Base64Fields.optional(body.aad(), "aad"));
    }

    private byte[] sign(String operator, String requestId, SignBody body)
            throws RefusedException, IOException, KeyEscrowException {
        return coordinator.sign(operator, requestId, Base64Fields.decode(body.message(), "message"));
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
