package dev.keyescrow.cli.custodian;

import dev.keyescrow.core.request.CanonicalRequest;

/** A request as a custodian checked it: decoded locally, digest recomputed, coordinator signature verified. */
public record ReviewedRequest(CanonicalRequest request, String digest, String state, int approvals, int threshold) {
    /** The request in words, for a person to read before signing. */
    public String describe() {
        CanonicalRequest r = request;
        return r.operation() + " of key " + r.keyId() + " version " + r.version() + "\n"
                + "  requested by  " + r.requester() + "\n"
                + "  reason        " + r.reason() + "\n"
                + "  parameters    " + r.params().toJson() + "\n"
                + "  expires       " + r.expiresAt() + "\n"
                + "  digest        " + digest + " (recomputed here)\n"
                + "  state         " + state + ", " + approvals + " of " + threshold + " approvals";
    }
}
