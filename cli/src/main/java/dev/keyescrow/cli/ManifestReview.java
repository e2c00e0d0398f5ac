package dev.keyescrow.cli;

import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ManifestChecks;
import dev.keyescrow.core.signature.KeyFingerprint;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A manifest in words: what people compare with the ceremony log before countersigning, and
 * what the tools found ({@link ManifestChecks}). One view for {@code key create}, {@code key
 * show}, {@code key manifest --review} and {@code countersign}, so every person reads the same
 * lines. The digest is printed in groups of four hex digits, the way it is read aloud.
 */
final class ManifestReview {
    private ManifestReview() {
    }

    /** The view of a manifest whose signature was checked under {@code coordinatorFingerprint}'s key. */
    static String describe(Manifest m, String coordinatorFingerprint) {
        return view(m, "  signed by the coordinator key " + coordinatorFingerprint + " (checked)");
    }

    /** The view of a manifest whose coordinator signature this command did not check. */
    static String describeUnchecked(Manifest m) {
        return view(m, "  coordinator signature not checked here ('escrow countersign' checks it with the key"
                + " of step A1)");
    }

    private static String view(Manifest m, String signatureLine) {
        StringBuilder out = new StringBuilder("manifest of key ").append(m.keyId()).append(" version ")
                .append(m.version()).append('\n')
                .append("  algorithm     ").append(m.algorithm().wireName()).append('\n');
        if (m.frost() != null) {
            // what the custodian is asked to pin: the key that every quorum signature will verify under
            out.append("  scheme        FROST: signs by quorum, never rebuilt; no share is ever released\n")
                    .append("  group key     ").append(java.util.Base64.getEncoder().encodeToString(
                            m.frost().groupPublicKey())).append(" (its SHA-256 prefix is the KCV)\n")
                    .append("  verification shares of all ").append(m.shareCount())
                    .append(" holders lie on one degree-").append(m.threshold() - 1)
                    .append(" polynomial through it (checked here)\n");
        }
        out
                .append("  quorum        ").append(m.threshold()).append(" of ").append(m.shareCount())
                .append(" holders:\n");
        for (Holder h : m.holders()) {
            out.append("    ").append(h.index()).append(' ').append(h.custodianId()).append(" on ").append(h.nodeId())
                    .append(", key SHA-256 ").append(KeyFingerprint.of(h.publicKey())).append('\n');
        }
        out.append("  KCV           ").append(m.kcv().hex()).append('\n')
                .append("  digest        ").append(groups(m.digest())).append(" (recomputed here)\n")
                .append(signatureLine);
        for (ManifestChecks.Warning w : ManifestChecks.of(m)) {
            out.append('\n').append(warning(w));
        }
        return out.toString();
    }

    /**
     * The view of a manifest answer ({@code GET .../manifest}) for an operator's command: the
     * digest is recomputed and the key version checked, the coordinator signature is not. A
     * manifest that does not parse is named with whatever {@link ManifestChecks} still reads.
     */
    static String ofAnswer(JsonObject view, String keyId, int version) {
        try {
            return describeUnchecked(CustodianDesk.reviewManifest(view, keyId, version, null));
        } catch (CustodianDesk.ReviewException e) {
            StringBuilder out = new StringBuilder("manifest of key ").append(keyId).append(" version ").append(version)
                    .append(": DO NOT COUNTERSIGN: ").append(e.getMessage());
            try {
                for (ManifestChecks.Warning w : ManifestChecks.ofCanonical(view.getString("canonical", "")
                        .getBytes(StandardCharsets.UTF_8))) {
                    out.append('\n').append(warning(w));
                }
            } catch (FormatException unreadable) {
                // nothing more to name: the first line says it does not parse
            }
            return out.toString();
        }
    }

    /** One warning line, as every view prints it. */
    static String warning(ManifestChecks.Warning w) {
        return "  WARNING " + w.kind().name().replace('_', ' ') + ": " + w.text();
    }

    /** {@code hex} in groups of four digits separated by spaces. */
    static String groups(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(hex, i, Math.min(hex.length(), i + 4));
        }
        return out.toString();
    }
}
