package dev.keyescrow.hsm.spec;

import dev.keyescrow.hsm.ReleaseRequest;

/**
 * What a token derives and signs for a {@link ReleaseRequest}, by its target: purpose
 * {@code release} and the release statement for the request's ephemeral key; purpose
 * {@code export-release} and the export release statement for an EXPORT recipient
 * ({@code docs/spec/kdf.md}, {@code docs/spec/export-release.md}). One place, so both
 * token kinds make the same bytes.
 */
public final class ReleaseConstruction {
    private ReleaseConstruction() {
    }

    public static KekContext kekContext(ReleaseRequest request) {
        return switch (request.target()) {
            case RECIPIENT -> KekContext.forExportRelease(request.requestId(), request.requestDigest(),
                    request.share().ref());
            case FROST_SIGNER -> KekContext.forFrostSign(request.requestId(), request.requestDigest(),
                    request.share().ref());
            case REQUEST_KEY -> KekContext.forRelease(request.requestId(), request.requestDigest(),
                    request.share().ref());
        };
    }

    public static byte[] statement(ReleaseRequest request, String nodeId, byte[] transportPublicKey, byte[] wrapped) {
        if (request.target() == ReleaseRequest.Target.FROST_SIGNER) {
            return Statements.frostShareOpened(request.requestId(), request.requestDigest(), nodeId,
                    request.share().ref(), wrapped);
        }
        return request.target() == ReleaseRequest.Target.RECIPIENT
                ? Statements.exportRelease(request.requestId(), request.requestDigest(), nodeId, request.share().ref(),
                        request.manifestDigest().orElseThrow(), request.ephemeralPublicKey(), transportPublicKey,
                        wrapped)
                : Statements.release(request.requestId(), request.requestDigest(), nodeId, request.share().ref(),
                        wrapped);
    }
}
