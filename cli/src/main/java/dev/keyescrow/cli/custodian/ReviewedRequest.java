package dev.keyescrow.cli.custodian;

import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.ReshareHolder;
import dev.keyescrow.core.signature.KeyFingerprint;

/** A request as a custodian checked it: decoded locally, digest recomputed, coordinator signature verified. */
public record ReviewedRequest(CanonicalRequest request, String digest, String state, int approvals, int threshold) {
    /** The request in words, for a person to read before signing. */
    public String describe() {
        CanonicalRequest r = request;
        return r.operation() + " of key " + r.keyId() + " version " + r.version() + "\n"
                + "  requested by  " + r.requester() + "\n"
                + "  reason        " + r.reason() + "\n"
                + parameters(r)
                + "  expires       " + r.expiresAt() + "\n"
                + "  digest        " + digest + " (recomputed here)\n"
                + "  state         " + state + ", " + approvals + " of " + threshold + " approvals";
    }

    /**
     * RESHARE names who will hold the key afterwards: each new holder's key fingerprint is
     * shown so that the custodian can compare it with what that person gave out of band.
     */
    private static String parameters(CanonicalRequest r) {
        if (r.params() instanceof RequestParams.Export export) {
            // the fingerprint the recipient read aloud: whoever holds this key receives the key
            return "  parameters    " + r.params().toJson() + "\n"
                    + "  recipient     key SHA-256 " + KeyFingerprint.of(export.recipientPublicKey())
                    + " (compare with the recipient's)\n";
        }
        if (r.params() instanceof RequestParams.Sign sign) {
            // the messages themselves: the digest the custodian signs binds each one
            StringBuilder out = new StringBuilder("  messages      " + sign.count() + " to sign with the quorum's key\n");
            for (int j = 0; j < sign.count(); j++) {
                out.append(MessageView.describe(j + 1, sign.message(j)));
            }
            return out.toString();
        }
        if (!(r.params() instanceof RequestParams.Reshare reshare)) {
            return "  parameters    " + r.params().toJson() + "\n";
        }
        StringBuilder out = new StringBuilder("  new quorum    " + reshare.threshold() + " of "
                + reshare.holders().size() + " holders:\n");
        for (ReshareHolder h : reshare.holders()) {
            out.append("    ").append(h.custodianId()).append(" on ").append(h.nodeId()).append(", key SHA-256 ")
                    .append(h.fingerprint()).append('\n');
        }
        return out.toString();
    }
}
