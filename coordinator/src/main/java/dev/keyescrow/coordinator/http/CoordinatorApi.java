package dev.keyescrow.coordinator.http;

import dev.keyescrow.server.http.FailureAnswer;
import dev.keyescrow.server.http.Problems;

import dev.keyescrow.server.http.KeyedWaiters;
import dev.keyescrow.server.http.PrometheusText;
import dev.keyescrow.server.http.RefusalLog;

import dev.keyescrow.server.http.StrictJson;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.ceremony.CreatedVersion;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.coordinator.metrics.CoordinatorMetrics;
import dev.keyescrow.server.http.StrictJson.BadJsonException;
import dev.keyescrow.coordinator.http.dto.CountersignatureBody;
import dev.keyescrow.coordinator.http.dto.CustodianBody;
import dev.keyescrow.coordinator.http.dto.DecryptBody;
import dev.keyescrow.coordinator.http.dto.EncryptBody;
import dev.keyescrow.coordinator.http.dto.KeyBody;
import dev.keyescrow.coordinator.http.dto.RequestBody;
import dev.keyescrow.coordinator.http.dto.SignBody;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.Rfc3339;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.ReshareHolder;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.journal.JournalHead;
import dev.keyescrow.journal.VerificationReport;
import dev.keyescrow.coordinator.quorum.RequestIssuer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The coordinator's endpoints (design: Contract: HTTP API, coordinator). Operator calls
 * need {@code Authorization: Bearer <token>}; reads and countersignatures (whose signature
 * is the credential) do not. Every refusal is a problem document naming the problem,
 * recorded in the bounded refusal log, never in the journal; accepted changes are journaled
 * before the answer. Bodies are size-limited and parsed strictly.
 */
public final class CoordinatorApi {
    /** The largest page of {@code GET /v1/keys}, and its size when the client names no {@code limit}. */
    static final int KEY_PAGE_MAX = 1000;

    /** How long a long poll waits when the client names no {@code wait}. */
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** Parked long polls at most; past it a long poll answers at once. */
    private static final int MAX_WAITERS = 1024;
    private final Vertx vertx;
    private final Coordinator coordinator;
    private final Operators operators;
    private final RefusalLog refusals;
    private final int bodyLimit;
    private final KeyedWaiters requestWaiters;

    private final CoordinatorMetrics metrics;

    public CoordinatorApi(Vertx vertx, Coordinator coordinator, Operators operators, RefusalLog refusals,
            int bodyLimit) {
        this(vertx, coordinator, operators, refusals, bodyLimit, new CoordinatorMetrics());
    }

    public CoordinatorApi(Vertx vertx, Coordinator coordinator, Operators operators, RefusalLog refusals,
            int bodyLimit, CoordinatorMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.requestWaiters = new KeyedWaiters(vertx, MAX_WAITERS);
        coordinator.service().onRequestChanged(requestWaiters::changed);
        this.coordinator = coordinator;
        this.operators = operators;
        this.refusals = refusals;
        this.bodyLimit = bodyLimit;
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addBodyEndHandler(v -> metrics.http(ctx.response().getStatusCode()));
            ctx.next();
        });
        router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
        router.get("/metrics").handler(ctx -> blocking(ctx, () -> metrics.render(snapshot())).onSuccess(text ->
                ctx.response().putHeader("content-type", PrometheusText.CONTENT_TYPE).end(text)));
        router.get("/v1/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")
                .put("role", "coordinator").put("coordinatorId", coordinator.id())));
        router.get("/v1/nodes").handler(ctx -> {
            JsonArray out = new JsonArray();
            coordinator.nodes().forEach(n -> out.add(Views.node(n)));
            json(ctx, 200, out);
        });
        router.get("/v1/custodians").handler(ctx -> blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            coordinator.custodians().forEach(c -> out.add(Views.custodian(c, coordinator.retirement(c.id()))));
            return out;
        }).onSuccess(out -> json(ctx, 200, out)));
        router.post("/v1/custodians").handler(this::registerCustodian);
        router.post("/v1/custodians/:custodianId/retirement").handler(this::retireCustodian);
        router.get("/v1/keys").handler(this::listKeys);
        router.post("/v1/keys").handler(this::createKey);
        router.post("/v1/keys/import").handler(this::importKey);
        router.get("/v1/coordinator").handler(ctx -> json(ctx, 200, new JsonObject().put("id", coordinator.id())
                .put("transportPublicKey", Base64Fields.encode(coordinator.transportPublicKey()))));
        router.get("/v1/keys/:keyId").handler(this::getKey);
        router.get("/v1/keys/:keyId/versions/:version/manifest").handler(this::getManifest);
        router.post("/v1/keys/:keyId/versions/:version/countersignatures").handler(this::countersign);
        router.post("/v1/keys/:keyId/requests").handler(this::createRequest);
        router.get("/v1/requests").handler(ctx -> blocking(ctx, coordinator::requests).onSuccess(list -> {
            JsonArray out = new JsonArray();
            list.forEach(v -> out.add(Views.request(v)));
            json(ctx, 200, out);
        }));
        router.get("/v1/requests/:requestId").handler(this::getRequest);
        router.post("/v1/requests/:requestId/cancel").handler(this::cancel);
        router.post("/v1/requests/:requestId/encrypt").handler(this::encrypt);
        router.post("/v1/requests/:requestId/decrypt").handler(this::decrypt);
        router.post("/v1/requests/:requestId/sign").handler(this::sign);
        router.post("/v1/requests/:requestId/export").handler(this::export);
        router.get("/v1/audit").handler(this::audit);
        router.get("/v1/audit/verify").handler(this::verifyAudit);
        router.get("/v1/audit/signatures").handler(ctx -> blocking(ctx, () -> Views.signatures(coordinator.signatures()))
                .onSuccess(out -> json(ctx, 200, out)));
        router.route().last().handler(ctx -> refuse(ctx, RefusalReason.NOT_FOUND, ctx.request().method() + " "
                + ctx.request().path() + " is not an endpoint of the coordinator"));
        router.route().failureHandler(this::failure);
        return router;
    }

    private CoordinatorMetrics.Snapshot snapshot() {
        Map<RequestState, Long> byState = new EnumMap<>(RequestState.class);
        coordinator.requests().forEach(v -> byState.merge(v.state(), 1L, Long::sum));
        return new CoordinatorMetrics.Snapshot(byState, coordinator.service().recordCounts(),
                coordinator.openSessions(), requestWaiters.parked(), coordinator.sealedKeyIds().size(),
                coordinator.republishedAnswers(), coordinator.auditReads());
    }

    // ---------------------------------------------------------------- requests

    /**
     * A request view; with {@code changedFrom=STATE} a long poll that answers once the state
     * is no longer STATE, or after {@code wait} seconds (default 30) with the view as it is.
     */
    private void getRequest(RoutingContext ctx) {
        Optional<String> requestId = withRequestId(ctx);
        if (requestId.isEmpty()) {
            return;
        }
        String id = requestId.get();
        Runnable answer = () -> blocking(ctx, () -> coordinator.request(id))
                .onSuccess(v -> json(ctx, 200, Views.request(v)));
        String from = ctx.request().getParam("changedFrom");
        if (from == null) {
            answer.run();
            return;
        }
        RequestState unwanted;
        try {
            unwanted = RequestState.valueOf(from);
        } catch (IllegalArgumentException e) {
            refuse(ctx, RefusalReason.MALFORMED, "changedFrom must be a request state (PENDING, APPROVED, ACTIVE,"
                    + " EXECUTED, DENIED, EXPIRED, CANCELLED or FAILED)");
            return;
        }
        Duration wait;
        try {
            wait = KeyedWaiters.parseWait(ctx.request().getParam("wait"), DEFAULT_WAIT);
        } catch (IllegalArgumentException e) {
            refuse(ctx, RefusalReason.MALFORMED, e.getMessage());
            return;
        }
        requestWaiters.answerWhenChanged(ctx, id, wait, () -> coordinator.request(id).state() != unwanted, answer);
    }

    // ---------------------------------------------------------------- enrolment

    private void registerCustodian(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<CustodianBody> body = operator.flatMap(o -> body(ctx, CustodianBody.class));
        if (body.isEmpty()) {
            return;
        }
        CustodianBody b = body.get();
        blocking(ctx, () -> {
            requireIdentifier(b.id(), "id");
            requireIdentifier(b.nodeId(), "nodeId");
            byte[] publicKey = Base64Fields.decode(b.publicKey(), "publicKey", 32);
            if (!Ed25519.isValidPublicKey(publicKey)) {
                throw new RefusedException(RefusalReason.MALFORMED, "publicKey must be an Ed25519 public key of prime"
                        + " order in canonical encoding (not a small-order point, not y >= p)");
            }
            return coordinator.registerCustodian(operator.get(), b.id(), publicKey, b.nodeId());
        }).onSuccess(c -> json(ctx, 201, Views.custodian(c, Optional.empty())));
    }

    /** Retires a custodian id no live version uses (409 naming the versions that still do). */
    private void retireCustodian(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        String custodianId = ctx.pathParam("custodianId");
        if (operator.isPresent() && !Identifiers.isValid(custodianId)) {
            refuse(ctx, RefusalReason.MALFORMED, "custodian id must match [a-z0-9][a-z0-9-]{0,63}");
            return;
        }
        Optional<dev.keyescrow.coordinator.http.dto.RetirementBody> body = operator.flatMap(o -> body(ctx,
                dev.keyescrow.coordinator.http.dto.RetirementBody.class));
        if (body.isEmpty()) {
            return;
        }
        String reason = body.get().reason();
        blocking(ctx, () -> {
            try {
                dev.keyescrow.coordinator.enrolment.Retirement.requireReason(reason);
            } catch (IllegalArgumentException e) {
                throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
            }
            return coordinator.retireCustodian(operator.get(), custodianId, reason);
        }).onSuccess(r -> json(ctx, 201, Views.retirement(r)));
    }

    // ---------------------------------------------------------------- keys

    /**
     * One page of keys in key-id order: {@code limit} (1 to {@value #KEY_PAGE_MAX}, that by
     * default) keys after {@code cursor}. The body stays an array, so clients of one page need no
     * change; the next page's address is in a {@code Link: <...>; rel="next"} header (RFC 8288),
     * absent on the last page. The cursor is opaque to clients (today: the last key id shown).
     */
    private void listKeys(RoutingContext ctx) {
        List<String> limits = ctx.queryParam("limit");
        List<String> cursors = ctx.queryParam("cursor");
        if (limits.size() > 1 || cursors.size() > 1) {
            refuse(ctx, RefusalReason.MALFORMED, "limit and cursor may each be given once");
            return;
        }
        int limit = KEY_PAGE_MAX;
        if (!limits.isEmpty()) {
            String text = limits.get(0);
            if (!text.matches("[1-9][0-9]{0,3}") || Integer.parseInt(text) > KEY_PAGE_MAX) {
                refuse(ctx, RefusalReason.MALFORMED, "limit must be an integer from 1 to " + KEY_PAGE_MAX
                        + " in decimal digits");
                return;
            }
            limit = Integer.parseInt(text);
        }
        String cursor = cursors.isEmpty() ? null : cursors.get(0);
        if (cursor != null && !Identifiers.isValid(cursor)) {
            refuse(ctx, RefusalReason.MALFORMED, "cursor must be the value of a previous page's Link header");
            return;
        }
        int pageSize = limit;
        blocking(ctx, () -> {
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
            json(ctx, 200, page.getJsonArray("keys"));
        });
    }

    private void getKey(RoutingContext ctx) {
        String keyId = ctx.pathParam("keyId");
        if (!Identifiers.isValid(keyId)) {
            refuse(ctx, RefusalReason.MALFORMED, "key id must match [a-z0-9][a-z0-9-]{0,63}");
            return;
        }
        blocking(ctx, () -> {
            JsonArray versions = new JsonArray();
            coordinator.versions(keyId).forEach(v -> versions.add(Views.version(v, true)));
            return new JsonObject().put("keyId", keyId).put("versions", versions);
        }).onSuccess(out -> json(ctx, 200, out));
    }

    private void createKey(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<KeyBody> body = operator.flatMap(o -> body(ctx, KeyBody.class));
        if (body.isEmpty()) {
            return;
        }
        KeyBody b = body.get();
        blocking(ctx, () -> {
            if (b.algorithm() == null || b.threshold() == null || b.custodians() == null) {
                throw new RefusedException(RefusalReason.MALFORMED, "algorithm, threshold and custodians are required");
            }
            KeyAlgorithm algorithm;
            try {
                algorithm = KeyAlgorithm.fromWireName(b.algorithm());
            } catch (IllegalArgumentException e) {
                throw new RefusedException(RefusalReason.MALFORMED, "algorithm must be AES-256, EC-P256 or ED25519");
            }
            for (String c : b.custodians()) {
                requireIdentifier(c, "custodians[]");
            }
            dev.keyescrow.core.integrity.KeyScheme scheme = dev.keyescrow.core.integrity.KeyScheme.SHAMIR;
            if (b.scheme() != null) {
                try {
                    scheme = dev.keyescrow.core.integrity.KeyScheme.fromWireName(b.scheme());
                } catch (IllegalArgumentException e) {
                    throw new RefusedException(RefusalReason.MALFORMED, "scheme must be SHAMIR or FROST");
                }
            }
            return coordinator.createKey(operator.get(), b.name(), algorithm, scheme, b.threshold(), b.custodians());
        }).onSuccess(created -> json(ctx, 201, created(created)));
    }

    private void importKey(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<dev.keyescrow.coordinator.http.dto.ImportKeyBody> body = operator.flatMap(o -> body(ctx,
                dev.keyescrow.coordinator.http.dto.ImportKeyBody.class));
        if (body.isEmpty()) {
            return;
        }
        var b = body.get();
        blocking(ctx, () -> {
            if (b.algorithm() == null || b.threshold() == null || b.custodians() == null || b.envelope() == null) {
                throw new RefusedException(RefusalReason.MALFORMED,
                        "name, algorithm, threshold, custodians and envelope are required");
            }
            KeyAlgorithm algorithm;
            try {
                algorithm = KeyAlgorithm.fromWireName(b.algorithm());
            } catch (IllegalArgumentException e) {
                throw new RefusedException(RefusalReason.MALFORMED, "algorithm must be AES-256, EC-P256 or ED25519");
            }
            for (String c : b.custodians()) {
                requireIdentifier(c, "custodians[]");
            }
            if (b.kcv() != null && !b.kcv().matches("[0-9a-f]{6}")) {
                throw new RefusedException(RefusalReason.MALFORMED, "kcv must be 6 lowercase hex digits");
            }
            dev.keyescrow.core.integrity.KeyScheme scheme = dev.keyescrow.core.integrity.KeyScheme.SHAMIR;
            if (b.scheme() != null) {
                try {
                    scheme = dev.keyescrow.core.integrity.KeyScheme.fromWireName(b.scheme());
                } catch (IllegalArgumentException e) {
                    throw new RefusedException(RefusalReason.MALFORMED, "scheme must be SHAMIR or FROST");
                }
            }
            byte[] envelope = Base64Fields.decode(b.envelope(), "envelope");
            return coordinator.importKey(operator.get(), b.name(), algorithm, scheme, b.threshold(), b.custodians(),
                    envelope, b.kcv());
        }).onSuccess(created -> json(ctx, 201, created(created)));
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

    private void getManifest(RoutingContext ctx) {
        Optional<Integer> version = versionParam(ctx);
        if (version.isEmpty()) {
            return;
        }
        String keyId = ctx.pathParam("keyId");
        blocking(ctx, () -> coordinator.version(keyId, version.get())).onSuccess(v -> {
            JsonObject countersignatures = new JsonObject();
            v.countersignatures().forEach((c, s) -> countersignatures.put(c, Base64Fields.encode(s)));
            json(ctx, 200, new JsonObject().put("canonical", v.canonical()).put("digest", v.manifest().digest())
                    .put("signature", Base64Fields.encode(v.coordinatorSignature()))
                    .put("countersignatures", countersignatures).put("state", v.state().name()));
        });
    }

    private void countersign(RoutingContext ctx) {
        Optional<Integer> version = versionParam(ctx);
        Optional<CountersignatureBody> body = version.flatMap(v -> body(ctx, CountersignatureBody.class));
        if (body.isEmpty()) {
            return;
        }
        String keyId = ctx.pathParam("keyId");
        CountersignatureBody b = body.get();
        blocking(ctx, () -> {
            requireIdentifier(b.custodianId(), "custodianId");
            byte[] signature = Base64Fields.decode(b.signature(), "signature", 64);
            KeyState state = coordinator.countersign(keyId, version.get(), b.custodianId(), signature);
            KeyVersionView v = coordinator.version(keyId, version.get());
            return new JsonObject().put("keyId", keyId).put("version", v.version()).put("custodianId", b.custodianId())
                    .put("state", state.name()).put("countersignatures", v.countersignatures().size())
                    .put("shares", v.manifest().shareCount());
        }).onSuccess(out -> json(ctx, 201, out));
    }

    // ---------------------------------------------------------------- requests

    private void createRequest(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<RequestBody> body = operator.flatMap(o -> body(ctx, RequestBody.class));
        if (body.isEmpty()) {
            return;
        }
        String keyId = ctx.pathParam("keyId");
        RequestBody b = body.get();
        blocking(ctx, () -> {
            requireIdentifier(keyId, "key id");
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
            return coordinator.createRequest(operator.get(), keyId, b.version(), operation, b.reason(), ttl,
                    params(operation, b.params()));
        }).onSuccess(v -> json(ctx, 201, new JsonObject().put("requestId", v.requestId()).put("digest", v.digest())
                .put("expiresAt", Rfc3339.format(v.request().expiresAt())).put("state", v.state().name())
                .put("keyId", v.request().keyId()).put("version", v.request().version())
                .put("canonical", v.canonical())));
    }

    /** {@code params} of {@code operation}, with exactly its members (request.md). */
    static RequestParams params(Operation operation, JsonNode params) throws RefusedException {
        if (params == null || !params.isObject()) {
            throw new RefusedException(RefusalReason.MALFORMED, "params must be an object");
        }
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        try {
            return switch (operation) {
                case USE -> {
                    exactly(names, "maxOperations", "sessionSeconds");
                    yield new RequestParams.Use(integer(params, "maxOperations"), integer(params, "sessionSeconds"));
                }
                case EXPORT -> {
                    exactly(names, "recipientPublicKey");
                    JsonNode key = params.get("recipientPublicKey");
                    if (!key.isTextual()) {
                        throw new RefusedException(RefusalReason.MALFORMED,
                                "params.recipientPublicKey must be a string");
                    }
                    byte[] point = Base64Fields.decode(key.asText(), "params.recipientPublicKey", 65);
                    EcdsaP256.fingerprint(point);
                    yield new RequestParams.Export(point);
                }
                case RESHARE -> {
                    exactly(names, "threshold", "holders");
                    int threshold = (int) StrictJson.integer(params, "params", "threshold", Integer.MIN_VALUE,
                            Integer.MAX_VALUE);
                    yield new RequestParams.Reshare(threshold, reshareHolders(params));
                }
                case SIGN -> {
                    exactly(names, "messages");
                    JsonNode list = params.get("messages");
                    if (!list.isArray()) {
                        throw new RefusedException(RefusalReason.MALFORMED, "params.messages must be an array");
                    }
                    java.util.List<byte[]> messages = new java.util.ArrayList<>();
                    for (JsonNode m : list) {
                        if (!m.isTextual()) {
                            throw new RefusedException(RefusalReason.MALFORMED,
                                    "params.messages[] must be base64 strings");
                        }
                        messages.add(Base64Fields.decode(m.asText(), "params.messages[]"));
                    }
                    yield new RequestParams.Sign(messages);
                }
                default -> {
                    exactly(names);
                    yield new RequestParams.None();
                }
            };
        } catch (BadJsonException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.INVALID, "params: " + e.getMessage());
        } catch (KeyEscrowException e) {
            if (e instanceof RefusedException r) {
                throw r;
            }
            throw new RefusedException(RefusalReason.INVALID, "params.recipientPublicKey: " + e.getMessage());
        }
    }

    private static void exactly(Set<String> names, String... expected) throws RefusedException {
        Set<String> want = Set.of(expected);
        for (String n : names) {
            if (!want.contains(n)) {
                throw new RefusedException(RefusalReason.MALFORMED, "params: unknown field \"" + n + "\"");
            }
        }
        for (String w : want) {
            if (!names.contains(w)) {
                throw new RefusedException(RefusalReason.MALFORMED, "params: missing field \"" + w + "\"");
            }
        }
    }

    /** {@code params.holders}: an array of exactly {@code {custodianId, publicKey, nodeId}}, strings only. */
    private static List<ReshareHolder> reshareHolders(JsonNode params) throws BadJsonException, RefusedException {
        List<JsonNode> holders = StrictJson.array(params, "params", "holders");
        List<ReshareHolder> out = new ArrayList<>();
        for (int i = 0; i < holders.size(); i++) {
            JsonNode h = holders.get(i);
            String where = "params.holders[" + i + "]";
            if (!h.isObject() || h.size() != 3 || !h.path("custodianId").isTextual()
                    || !h.path("publicKey").isTextual() || !h.path("nodeId").isTextual()) {
                throw new RefusedException(RefusalReason.MALFORMED, where + " must be exactly {custodianId,"
                        + " publicKey, nodeId} with string values");
            }
            out.add(new ReshareHolder(h.get("custodianId").textValue(), Base64Fields.decode(
                    h.get("publicKey").textValue(), where + ".publicKey", Ed25519.PUBLIC_KEY_LENGTH),
                    h.get("nodeId").textValue()));
        }
        return out;
    }

    /** A count of {@code params}: an integer that canonical JSON can carry; its own range is the domain's to check. */
    private static long integer(JsonNode params, String name) throws BadJsonException {
        return StrictJson.integer(params, "params", name, -CanonicalJson.MAX_SAFE_INTEGER,
                CanonicalJson.MAX_SAFE_INTEGER);
    }

    private void cancel(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<String> requestId = operator.flatMap(o -> withRequestId(ctx));
        if (requestId.isEmpty()) {
            return;
        }
        blocking(ctx, () -> coordinator.cancel(operator.get(), requestId.get()))
                .onSuccess(v -> json(ctx, 200, Views.request(v)));
    }

    private void encrypt(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<String> requestId = operator.flatMap(o -> withRequestId(ctx));
        Optional<EncryptBody> body = requestId.flatMap(r -> body(ctx, EncryptBody.class));
        if (body.isEmpty()) {
            return;
        }
        blocking(ctx, () -> coordinator.encrypt(operator.get(), requestId.get(),
                Base64Fields.decode(body.get().plaintext(), "plaintext"),
                Base64Fields.optional(body.get().aad(), "aad")))
                .onSuccess(c -> json(ctx, 200, new JsonObject().put("ciphertext", Base64Fields.encode(c))));
    }

    private void decrypt(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<String> requestId = operator.flatMap(o -> withRequestId(ctx));
        Optional<DecryptBody> body = requestId.flatMap(r -> body(ctx, DecryptBody.class));
        if (body.isEmpty()) {
            return;
        }
        blocking(ctx, () -> coordinator.decrypt(operator.get(), requestId.get(),
                Base64Fields.decode(body.get().ciphertext(), "ciphertext"),
                Base64Fields.optional(body.get().aad(), "aad")))
                .onSuccess(p -> json(ctx, 200, new JsonObject().put("plaintext", Base64Fields.encode(p))));
    }

    private void sign(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<String> requestId = operator.flatMap(o -> withRequestId(ctx));
        Optional<SignBody> body = requestId.flatMap(r -> body(ctx, SignBody.class));
        if (body.isEmpty()) {
            return;
        }
        blocking(ctx, () -> coordinator.sign(operator.get(), requestId.get(),
                Base64Fields.decode(body.get().message(), "message")))
                .onSuccess(s -> json(ctx, 200, new JsonObject().put("signature", Base64Fields.encode(s))));
    }

    private void export(RoutingContext ctx) {
        Optional<String> operator = operator(ctx);
        Optional<String> requestId = operator.flatMap(o -> withRequestId(ctx));
        if (requestId.isEmpty()) {
            return;
        }
        // the bundle's canonical bytes as they are: ciphertext for the recipient and public values only
        blocking(ctx, () -> coordinator.takeExport(operator.get(), requestId.get()).encode())
                .onSuccess(bytes -> ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
                        .end(io.vertx.core.buffer.Buffer.buffer(bytes)));
    }

    // ---------------------------------------------------------------- audit

    private void audit(RoutingContext ctx) {
        blocking(ctx, () -> {
            JournalHead head = coordinator.service().head();
            JsonObject records = new JsonObject();
            coordinator.service().recordCounts().forEach(records::put);
            return new JsonObject().put("coordinatorId", coordinator.id()).put("sequence", head.sequence())
                    .put("head", head.hashHex())
                    .put("writerPublicKey", Base64Fields.encode(coordinator.service().writerPublicKey()))
                    .put("writerFingerprint", EcdsaP256.fingerprint(coordinator.service().writerPublicKey()))
                    .put("records", records);
        }).onSuccess(out -> json(ctx, 200, out));
    }

    private void verifyAudit(RoutingContext ctx) {
        String contains = ctx.request().getParam("contains");
        JournalHead asked;
        try {
            asked = contains == null ? null : head(contains);
        } catch (IllegalArgumentException e) {
            refuse(ctx, RefusalReason.MALFORMED, "contains must be SEQ:HEAD, a sequence (0 for an empty journal) and 64"
                    + " lowercase hex digits");
            return;
        }
        blocking(ctx, () -> {
            var verified = coordinator.verifyJournal();
            VerificationReport report = verified.report();
            JsonObject out = new JsonObject().put("ok", report.ok()).put("verifiedAt", verified.at().toString())
                    .put("records", report.recordCount())
                    .put("sequence", report.head().sequence()).put("head", report.head().hashHex())
                    .put("tornBytes", report.tornBytes()).put("summary", report.summary());
            report.firstFault().ifPresent(f -> out.put("firstFault", new JsonObject().put("sequence", f.sequence())
                    .put("offset", f.offset()).put("defect", f.defect().name()).put("detail", f.detail())));
            if (asked != null) {
                dev.keyescrow.journal.HeadCheckResult found = coordinator.checkHead(asked);
                out.put("contains", new JsonObject().put("sequence", asked.sequence()).put("head", asked.hashHex())
                        .put("status", found.status().name()).put("detail", found.detail()));
            }
            return out;
        }).onSuccess(out -> json(ctx, 200, out));
    }

    /** {@code SEQ:HEAD} of the {@code contains} parameter. */
    private static JournalHead head(String text) {
        String[] parts = text.split(":", 2);
        if (parts.length != 2 || !parts[0].matches("0|[1-9][0-9]{0,17}") || !parts[1].matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not SEQ:HEAD");
        }
        return new JournalHead(Long.parseLong(parts[0]), java.util.HexFormat.of().parseHex(parts[1]));
    }

    // ---------------------------------------------------------------- plumbing

    /** The authenticated operator, or a 401 problem already sent. */
    private Optional<String> operator(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(ctx, RefusalReason.UNAUTHENTICATED, "an operator bearer token is required (Authorization: Bearer)");
            return Optional.empty();
        }
        Optional<String> operator = operators.authenticate(header.substring(7).trim());
        if (operator.isEmpty()) {
            refuse(ctx, RefusalReason.UNAUTHENTICATED, "the bearer token is not an operator's");
        }
        return operator;
    }

    /** The strictly parsed JSON body, or a 4xx problem already sent. */
    private <T> Optional<T> body(RoutingContext ctx, Class<T> type) {
        String contentType = ctx.request().getHeader("content-type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            refuse(ctx, RefusalReason.MALFORMED, 415, "the body must be application/json");
            return Optional.empty();
        }
        try {
            byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            return Optional.of(StrictJson.read(bytes, type));
        } catch (BadJsonException e) {
            refuse(ctx, RefusalReason.MALFORMED, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<String> withRequestId(RoutingContext ctx) {
        String requestId = ctx.pathParam("requestId");
        if (!Identifiers.isValid(requestId)) {
            refuse(ctx, RefusalReason.MALFORMED, "request id must match [a-z0-9][a-z0-9-]{0,63}");
            return Optional.empty();
        }
        return Optional.of(requestId);
    }

    private Optional<Integer> versionParam(RoutingContext ctx) {
        String keyId = ctx.pathParam("keyId");
        String version = ctx.pathParam("version");
        if (!Identifiers.isValid(keyId)) {
            refuse(ctx, RefusalReason.MALFORMED, "key id must match [a-z0-9][a-z0-9-]{0,63}");
            return Optional.empty();
        }
        try {
            return Optional.of((int) StrictJson.integerText(version, 1, Integer.MAX_VALUE,
                    "version must be a positive integer"));
        } catch (BadJsonException e) {
            refuse(ctx, RefusalReason.MALFORMED, e.getMessage());
            return Optional.empty();
        }
    }

    private static void requireIdentifier(String value, String field) throws RefusedException {
        if (value == null || !Identifiers.isValid(value)) {
            throw new RefusedException(RefusalReason.MALFORMED, field + " must match [a-z0-9][a-z0-9-]{0,63}");
        }
    }

    /** Runs {@code work} on a worker; a refusal becomes its problem document. */
    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return vertx.<T>executeBlocking(work, false).onFailure(e -> {
            if (e instanceof RefusedException r) {
                refuse(ctx, r.reason(), r.getMessage());
            } else {
                FailureAnswer.of(e, "coordinator", ctx.request().method().name() + " " + ctx.request().path())
                        .send(ctx);
            }
        });
    }

    private void refuse(RoutingContext ctx, RefusalReason reason, String detail) {
        refuse(ctx, reason, reason.status(), detail);
    }

    private void refuse(RoutingContext ctx, RefusalReason reason, int status, String detail) {
        if (status < 500) {
            refusals.record(ctx.request().method().name(), ctx.request().path(), status, detail);
        }
        String type = status == 415 ? Problems.TYPE_BASE + "unsupported-media-type" : reason.type();
        String title = status == 415 ? "Unsupported Media Type" : reason.title();
        Problems.send(ctx, type, title, status, detail);
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            refusals.record(ctx.request().method().name(), ctx.request().path(), 413, "body too large");
            Problems.send(ctx, Problems.TYPE_BASE + "body-too-large", "Content Too Large", 413,
                    "the body exceeds " + bodyLimit + " bytes");
        } else if (status >= 400 && status < 500) {
            refusals.record(ctx.request().method().name(), ctx.request().path(), status, "refused");
            Problems.send(ctx, Problems.TYPE_BASE + "refused", "Refused", status, "the call was refused");
        } else {
            Problems.send(ctx, Problems.TYPE_BASE + "internal", "Internal Server Error", 500, "unexpected failure");
        }
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode());
    }
}
