package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.Coordinator;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.journal.HeadCheckResult;
import dev.keyescrow.journal.JournalHead;
import dev.keyescrow.journal.VerificationReport;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HexFormat;

/** {@code /v1/audit}: the journal's head and counts, its verification, and every signature it holds. */
final class AuditRoutes {
    private final Coordinator coordinator;
    private final Answers answers;

    AuditRoutes(Coordinator coordinator, Answers answers) {
        this.coordinator = coordinator;
        this.answers = answers;
    }

    void mount(Router router) {
        router.get("/v1/audit").handler(this::audit);
        router.get("/v1/audit/verify").handler(answers.checked(this::verify));
        router.get("/v1/audit/signatures").handler(ctx -> answers.blocking(ctx,
                () -> Views.signatures(coordinator.signatures())).onSuccess(out -> Answers.json(ctx, 200, out)));
    }

    private void audit(RoutingContext ctx) {
        answers.blocking(ctx, () -> {
            JournalHead head = coordinator.service().head();
            JsonObject records = new JsonObject();
            coordinator.service().recordCounts().forEach(records::put);
            return new JsonObject().put("coordinatorId", coordinator.id()).put("sequence", head.sequence())
                    .put("head", head.hashHex())
                    .put("writerPublicKey", Base64Fields.encode(coordinator.service().writerPublicKey()))
                    .put("writerFingerprint", EcdsaP256.fingerprint(coordinator.service().writerPublicKey()))
                    .put("records", records);
        }).onSuccess(out -> Answers.json(ctx, 200, out));
    }

    private void verify(RoutingContext ctx) throws RefusedException {
        String contains = ctx.request().getParam("contains");
        JournalHead asked;
        try {
            asked = contains == null ? null : head(contains);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, "contains must be SEQ:HEAD, a sequence (0 for an"
                    + " empty journal) and 64 lowercase hex digits");
        }
        answers.blocking(ctx, () -> {
            var verified = coordinator.verifyJournal();
            VerificationReport report = verified.report();
            JsonObject out = new JsonObject().put("ok", report.ok()).put("verifiedAt", verified.at().toString())
                    .put("records", report.recordCount())
                    .put("sequence", report.head().sequence()).put("head", report.head().hashHex())
                    .put("tornBytes", report.tornBytes()).put("summary", report.summary());
            report.firstFault().ifPresent(f -> out.put("firstFault", new JsonObject().put("sequence", f.sequence())
                    .put("offset", f.offset()).put("defect", f.defect().name()).put("detail", f.detail())));
            if (asked != null) {
                HeadCheckResult found = coordinator.checkHead(asked);
                out.put("contains", new JsonObject().put("sequence", asked.sequence()).put("head", asked.hashHex())
                        .put("status", found.status().name()).put("detail", found.detail()));
            }
            return out;
        }).onSuccess(out -> Answers.json(ctx, 200, out));
    }

    /** {@code SEQ:HEAD} of the {@code contains} parameter. */
    private static JournalHead head(String text) {
        String[] parts = text.split(":", 2);
        if (parts.length != 2 || !parts[0].matches("0|[1-9][0-9]{0,17}") || !parts[1].matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not SEQ:HEAD");
        }
        return new JournalHead(Long.parseLong(parts[0]), HexFormat.of().parseHex(parts[1]));
    }
}
