package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.Retirement;
import dev.keyescrow.coordinator.ledger.AuditSignatures;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.ledger.BadRelease;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.ledger.Transition;
import dev.keyescrow.core.format.Rfc3339;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.hsm.spec.Statements;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** JSON renderings of the coordinator's views. Public values only. */
final class Views {
    private Views() {
    }

    static JsonObject node(EnrolledNode n) {
        return new JsonObject().put("id", n.id()).put("url", n.url())
                .put("identityPublicKey", Base64Fields.encode(n.identityPublicKey()))
                .put("identityFingerprint", n.identityFingerprint())
                .put("transportPublicKey", Base64Fields.encode(n.transportPublicKey()))
                .put("transportFingerprint", n.transportFingerprint());
    }

    static JsonObject custodian(Custodian c, Optional<Retirement> retirement) {
        JsonObject o = new JsonObject().put("id", c.id()).put("publicKey", c.publicKeyBase64()).put("nodeId", c.nodeId())
                .put("registeredAt", Rfc3339.format(c.registeredAt().truncatedTo(ChronoUnit.SECONDS)));
        retirement.ifPresent(r -> o.put("retirement", retirement(r)));
        return o;
    }

    static JsonObject retirement(Retirement r) {
        return new JsonObject().put("custodianId", r.custodianId()).put("operator", r.operator())
                .put("reason", r.reason()).put("retiredAt", Rfc3339.format(r.at().truncatedTo(ChronoUnit.SECONDS)));
    }

    /** {@code GET /v1/audit/signatures}: each list in journal order, with what rebuilds each statement. */
    static JsonObject signatures(AuditSignatures all) {
        JsonArray countersignatures = new JsonArray();
        all.countersignatures().forEach(c -> countersignatures.add(new JsonObject().put("keyId", c.keyId())
                .put("version", c.version()).put("custodianId", c.custodianId())
                .put("signature", Base64Fields.encode(c.signature()))));
        JsonArray answers = new JsonArray();
        all.answers().forEach(a -> answers.add(new JsonObject().put("requestId", a.approval().requestId())
                .put("requestDigest", a.approval().requestDigest()).put("custodianId", a.approval().custodianId())
                .put("decision", a.approval().decision().name()).put("nodeId", a.nodeId())
                .put("signature", Base64Fields.encode(a.approval().signature()))));
        JsonArray imports = new JsonArray();
        all.importReceipts().forEach(r -> imports.add(new JsonObject().put("keyId", r.keyId())
                .put("version", r.version()).put("index", r.index()).put("length", r.length())
                .put("nodeId", r.nodeId()).put("envelopeDigest", r.envelopeDigest())
                .put("storedBlobDigest", r.storedBlobDigest()).put("signature", Base64Fields.encode(r.signature()))));
        JsonArray shreds = new JsonArray();
        all.shredReceipts().forEach(s -> shreds.add(new JsonObject().put("requestId", s.requestId())
                .put("nodeId", s.nodeId()).put("epoch", s.epoch()).put("destroyed", new JsonArray(s.destroyed()))
                .put("signature", Base64Fields.encode(s.signature()))));
        JsonArray rollbacks = new JsonArray();
        all.rollbackReceipts().forEach(r -> {
            JsonObject o = new JsonObject().put("keyId", r.keyId()).put("version", r.version());
            if (!r.legacy()) {
                o.put("manifestDigest", r.manifestDigest());
            }
            rollbacks.add(o.put("statement", r.legacy() ? Statements.SHRED_RECEIPT : Statements.ROLLBACK_RECEIPT)
                    .put("nodeId", r.nodeId()).put("epoch", r.epoch()).put("destroyed", new JsonArray(r.destroyed()))
                    .put("signature", Base64Fields.encode(r.signature())));
        });
        return new JsonObject().put("countersignatures", countersignatures).put("answers", answers)
                .put("importReceipts", imports).put("shredReceipts", shreds).put("rollbackReceipts", rollbacks);
    }

    static JsonObject version(KeyVersionView v, boolean withHistory) {
        JsonObject o = new JsonObject().put("keyId", v.keyId()).put("version", v.version())
                .put("algorithm", v.manifest().algorithm().wireName()).put("state", v.state().name())
                .put("threshold", v.manifest().threshold()).put("shares", v.manifest().shareCount())
                .put("kcv", v.manifest().kcv().hex()).put("digest", v.manifest().digest())
                .put("countersigned", new JsonArray(List.copyOf(v.countersignatures().keySet())))
                .put("shredded", new JsonArray(List.copyOf(v.shredded())));
        if (v.publicKey().length > 0) {
            o.put("publicKey", Base64Fields.encode(v.publicKey()));
        }
        if (withHistory) {
            o.put("history", history(v.history()));
        }
        return o;
    }

    static JsonObject request(RequestView v) {
        JsonObject o = requestWithoutSign(v);
        if (v.request().params() instanceof dev.keyescrow.core.request.RequestParams.Sign sign) {
            JsonArray messages = new JsonArray();
            sign.messages().forEach(m -> messages.add(Base64Fields.encode(m)));
            o.put("messages", messages);
            if (!v.signatures().isEmpty()) {
                JsonArray signatures = new JsonArray();
                v.signatures().forEach(s -> signatures.add(Base64Fields.encode(s)));
                o.put("signatures", signatures);
            }
        }
        return o;
    }

    private static JsonObject requestWithoutSign(RequestView v) {
        CanonicalRequest r = v.request();
        JsonArray releases = new JsonArray();
        v.releases().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> releases.add(
                new JsonObject().put("index", e.getKey()).put("nodeId", e.getValue())));
        JsonArray bad = new JsonArray();
        for (BadRelease b : v.badReleases()) {
            bad.add(new JsonObject().put("index", b.index()).put("nodeId", b.nodeId()).put("problem", b.problem()));
        }
        return new JsonObject().put("requestId", r.requestId()).put("operation", r.operation().name())
                .put("keyId", r.keyId()).put("version", r.version()).put("state", v.state().name())
                .put("requester", r.requester()).put("reason", r.reason())
                .put("createdAt", Rfc3339.format(r.createdAt())).put("expiresAt", Rfc3339.format(r.expiresAt()))
                .put("digest", v.digest()).put("canonical", v.canonical())
                .put("coordinatorSignature", Base64Fields.encode(v.coordinatorSignature()))
                .put("approvals", v.approvers().size()).put("threshold", v.threshold())
                .put("approvers", new JsonArray(List.copyOf(v.approvers())))
                .put("deniers", new JsonArray(List.copyOf(v.deniers())))
                .put("releases", releases).put("badReleases", bad)
                .put("shreddedNodes", new JsonArray(List.copyOf(v.shreddedNodes())))
                .put("history", history(v.history()));
    }

    private static JsonArray history(List<Transition> history) {
        JsonArray out = new JsonArray();
        for (Transition t : history) {
            out.add(new JsonObject().put("state", t.state()).put("reason", t.reason())
                    .put("at", Rfc3339.format(t.at().truncatedTo(ChronoUnit.SECONDS))));
        }
        return out;
    }
}
