package dev.keyescrow.cli;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.signature.KeyFingerprint;

/** A checked manifest in words: what a custodian compares with the ceremony log before countersigning. */
final class ManifestReview {
    private ManifestReview() {
    }

    static String describe(Manifest m, String coordinatorFingerprint) {
        StringBuilder out = new StringBuilder("manifest of key ").append(m.keyId()).append(" version ")
                .append(m.version()).append('\n')
                .append("  algorithm     ").append(m.algorithm().wireName()).append('\n')
                .append("  quorum        ").append(m.threshold()).append(" of ").append(m.shareCount())
                .append(" holders:\n");
        for (Holder h : m.holders()) {
            out.append("    ").append(h.index()).append(' ').append(h.custodianId()).append(" on ").append(h.nodeId())
                    .append(", key SHA-256 ").append(KeyFingerprint.of(h.publicKey())).append('\n');
        }
        return out.append("  KCV           ").append(m.kcv().hex()).append('\n')
                .append("  digest        ").append(m.digest()).append(" (recomputed here)\n")
                .append("  signed by the coordinator key ").append(coordinatorFingerprint).append(" (checked)")
                .toString();
    }

}
