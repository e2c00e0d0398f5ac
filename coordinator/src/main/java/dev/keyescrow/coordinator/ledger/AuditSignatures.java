package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.request.Approval;
import java.util.List;

/**
 * Every signature the coordinator verified before it journaled it, as it verified it, so an
 * auditor can verify each again with the signer's pinned key instead of trusting the
 * coordinator's word: custodians' countersignatures (key in the manifest), custodians' answers
 * (key in the request's manifest), nodes' import, shred and rollback receipts (node identity
 * keys pinned at enrolment; a rollback receipt is a shred statement). The statements are rebuilt from these fields and the canonical manifests and
 * requests ({@code spec/import-release.md}, {@code spec/request.md}). Public values only.
 */
public record AuditSignatures(List<Countersignature> countersignatures, List<Answer> answers,
                              List<CoordinatorEvent.ReceiptVerified> importReceipts,
                              List<CoordinatorEvent.ShredVerified> shredReceipts,
                              List<CoordinatorEvent.RollbackReceiptVerified> rollbackReceipts) {
    public AuditSignatures {
        countersignatures = List.copyOf(countersignatures);
        answers = List.copyOf(answers);
        importReceipts = List.copyOf(importReceipts);
        shredReceipts = List.copyOf(shredReceipts);
        rollbackReceipts = List.copyOf(rollbackReceipts);
    }

    /** A custodian's countersignature of one key version's manifest. */
    public record Countersignature(String keyId, int version, String custodianId, byte[] signature) {
        public Countersignature {
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** A custodian's answer to a request as counted, with the node that published it. */
    public record Answer(String nodeId, Approval approval) {
    }
}
