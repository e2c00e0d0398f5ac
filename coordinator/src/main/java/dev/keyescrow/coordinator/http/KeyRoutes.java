package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.ceremony.CreatedVersion;
import dev.keyescrow.coordinator.http.dto.CountersignatureBody;
import dev.keyescrow.coordinator.http.dto.ImportKeyBody;
import dev.keyescrow.coordinator.http.dto.KeyBody;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.KeyScheme;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /v1/keys}: pages of keys, one key's versions, a version's manifest (reads); create and
 * import (operator); countersignatures (whose signature is the credential).
 */
final class KeyRoutes {
    /** The largest page of {@code GET /v1/keys}, and its size when the client names no {@code limit}. */
    static final int KEY_PAGE_MAX = 1000;

    private final Coordinator coordinator;
    private final OperatorAuth auth;
    private final Answers answers;

    KeyRoutes(Coordinator coordinator, OperatorAuth auth, Answers answers) {
        this.coordinator = coordinator;
        this.auth = auth;
        this.answers = answers;
    }

    void mount(Router router) {
        router.get("/v1/keys").handler(answers.checked(this::list));
        router.post("/v1/keys").handler(auth).handler(answers.checked(this::create));
        router.post("/v1/keys/import").handler(auth).handler(answers.checked(this::importKey));
        router.get("/v1/keys/:keyId").handler(answers.checked(this::get));
        router.get("/v1/keys/:keyId/versions/:version/manifest").handler(answers.checked(this::manifest));
        router.post("/v1/keys/:keyId/versions/:version/countersignatures").handler(answers.checked(this::countersign));
    }

    /**
     * One page of keys in key-id order: {@code limit} (1 to {@value #KEY_PAGE_MAX}, that by
     * default) keys after {@code cursor}. The body stays an array, so clients of one page need no
     * change; the next page's address is in a {@code Link: <...>; rel="next"} header (RFC 8288),
     * absent on the last page. The cursor is opaque to clients (today: the last key id shown).
     */
    private void list(RoutingContext ctx) throws RefusedException {
        List<String> limits = ctx.queryParam("limit");
        List<String> cursors = ctx.queryParam("cursor");
        if (limits.size() > 1 || cursors.size() > 1) {
            throw new RefusedException(RefusalReason.MALFORMED, "limit and cursor may each be given once");
        }
        int limit = KEY_PAGE_MAX;
        if (!limits.isEmpty()) {
            String text = limits.get(0);
            if (!text.matches("[1-9][0-9]{0,3}") || Integer.parseInt(text) > KEY_PAGE_MAX) {
                throw new RefusedException(RefusalReason.MALFORMED, "limit must be an integer from 1 to "
                        + KEY_PAGE_MAX + " in decimal digits");
            }
            limit = Integer.parseInt(text);
        }
        String cursor = cursors.isEmpty() ? null : cursors.get(0);
        if (cursor != null && !Identifiers.isValid(cursor)) {
            throw new RefusedException(RefusalReason.MALFORMED,
                    "cursor must be the value of a previous page's Link header");
        }
        int pageSize = limit;
        answers.blocking(ctx, () -> {
            List<String> ids = coordinator.keyIdsAfter(cursor, pageSize + 1);
            JsonArray out = new JsonArray();
            for (String keyId : ids.subList(0, Math.min(pageSize, ids.size()))) {
                JsonArray versions = new JsonArray();
                coordinator.versions(keyId).forEach(v -> versions.add(Views.version(v, false)));
                out.add(new JsonObject().put("keyId", keyId).put("versions", versions));
            }
            String next = ids.size() > pageSize ? ids.get(pageSize - 1) : null;
            return new JsonObject().put("keys", out).put("next", next);
        }).onSuccess(page -> {
            String next = page.getString("next");
            if (next != null) {
                ctx.response().putHeader("Link", "</v1/keys?limit=" + pageSize + "&cursor=" + next + ">; rel=\"next\"");
            }
            Answers.json(ctx, 200, page.getJsonArray("keys"));
        });
    }

    private void get(RoutingContext ctx) throws RefusedException {
        String keyId = Inputs.keyId(ctx);
        answers.blocking(ctx, () -> {
            JsonArray versions = new JsonArray();
            coordinator.versions(keyId).forEach(v -> versions.add(Views.version(v, true)));
            return new JsonObject().put("keyId", keyId).put("versions", versions);
        }).onSuccess(out -> Answers.json(ctx, 200, out));
    }

    private void create(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        KeyBody b = Inputs.body(ctx, KeyBody.class);
        answers.blocking(ctx, () -> {
            if (b.algorithm() == null || b.threshold() == null || b.custodians() == null) {
                throw new RefusedException(RefusalReason.MALFORMED, "algorithm, threshold and custodians are required");
            }
            KeyAlgorithm algorithm = algorithm(b.algorithm());
            custodians(b.custodians());
            return coordinator.createKey(operator, b.name(), algorithm, scheme(b.scheme()), b.threshold(),
                    b.custodians());
        }).onSuccess(created -> Answers.json(ctx, 201, created(created)));
    }

    private void importKey(RoutingContext ctx) throws RefusedException, NotJsonException {
        String operator = OperatorAuth.operator(ctx);
        ImportKeyBody b = Inputs.body(ctx, ImportKeyBody.class);
        answers.blocking(ctx, () -> {
            if (b.algorithm() == null || b.threshold() == null || b.custodians() == null || b.envelope() == null) {
                throw new RefusedException(RefusalReason.MALFORMED,
                        "name, algorithm, threshold, custodians and envelope are required");
            }
            KeyAlgorithm algorithm = algorithm(b.algorithm());
            custodians(b.custodians());
            if (b.kcv() != null && !b.kcv().matches("[0-9a-f]{6}")) {
                throw new RefusedException(RefusalReason.MALFORMED, "kcv must be 6 lowercase hex digits");
            }
            KeyScheme scheme = scheme(b.scheme());
            byte[] envelope = Base64Fields.decode(b.envelope(), "envelope");
            return coordinator.importKey(operator, b.name(), algorithm, scheme, b.threshold(), b.custodians(),
                    envelope, b.kcv());
        }).onSuccess(created -> Answers.json(ctx, 201, created(created)));
    }

    private static KeyAlgorithm algorithm(String wireName) throws RefusedException {
        try {
            return KeyAlgorithm.fromWireName(wireName);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, "algorithm must be AES-256, EC-P256 or ED25519");
        }
    }

    private static void custodians(List<String> custodians) throws RefusedException {
        for (String c : custodians) {
            Inputs.identifier(c, "custodians[]");
        }
    }

    /** The scheme named, {@code SHAMIR} when none is. */
    private static KeyScheme scheme(String wireName) throws RefusedException {
        if (wireName == null) {
            return KeyScheme.SHAMIR;
        }
        try {
            return KeyScheme.fromWireName(wireName);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, "scheme must be SHAMIR or FROST");
        }
    }

    private static JsonObject created(CreatedVersion created) {
        JsonObject out = new JsonObject();
        if (created.publicKey().length > 0) {
            out.put("publicKey", Base64Fields.encode(created.publicKey()));
        }
        return out.put("keyId", created.manifest().keyId()).put("version", created.manifest().version())
                .put("state", created.state().name()).put("algorithm", created.manifest().algorithm().wireName())
                .put("threshold", created.manifest().threshold()).put("shares", created.manifest().shareCount())
                .put("kcv", created.manifest().kcv().hex()).put("digest", created.manifest().digest())
                .put("scheme", created.manifest().scheme().name());
    }

    private void manifest(RoutingContext ctx) throws RefusedException {
        int version = Inputs.version(ctx);
        String keyId = ctx.pathParam("keyId");
        answers.blocking(ctx, () -> coordinator.version(keyId, version)).onSuccess(v -> {
            JsonObject countersignatures = new JsonObject();
            v.countersignatures().forEach((c, s) -> countersignatures.put(c, Base64Fields.encode(s)));
            Answers.json(ctx, 200, new JsonObject().put("canonical", v.canonical()).put("digest", v.manifest().digest())
                    .put("signature", Base64Fields.encode(v.coordinatorSignature()))
                    .put("countersignatures", countersignatures).put("state", v.state().name()));
        });
    }

    private void countersign(RoutingContext ctx) throws RefusedException, NotJsonException {
        int version = Inputs.version(ctx);
        CountersignatureBody b = Inputs.body(ctx, CountersignatureBody.class);
        String keyId = ctx.pathParam("keyId");
        answers.blocking(ctx, () -> {
            Inputs.identifier(b.custodianId(), "custodianId");
            byte[] signature = Base64Fields.decode(b.signature(), "signature", 64);
            KeyState state = coordinator.countersign(keyId, version, b.custodianId(), signature);
            KeyVersionView v = coordinator.version(keyId, version);
            return new JsonObject().put("keyId", keyId).put("version", v.version()).put("custodianId", b.custodianId())
                    .put("state", state.name()).put("countersignatures", v.countersignatures().size())
                    .put("shares", v.manifest().shareCount());
        }).onSuccess(out -> Answers.json(ctx, 201, out));
    }
}
