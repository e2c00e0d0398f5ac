package dev.keyescrow.hsm;

import java.util.List;
import java.util.Objects;

/**
 * What a token says about itself, for {@code GET /v1/node}, {@code escrow node fingerprint}
 * and logs: all public.
 *
 * @param kind                   {@code pkcs11} or {@code software}
 * @param label                  the token label (PKCS#11) or the vault file name
 * @param identityFingerprint    hex SHA-256 of the identity public key
 * @param transportFingerprint   hex SHA-256 of the transport public key
 * @param mechanisms             names of the mechanisms in use (wrap, derive, sign)
 * @param currentEpoch           the epoch whose KEK wraps new blobs
 */
public record TokenDescription(VaultKind kind, String label, String identityFingerprint, String transportFingerprint,
        List<String> mechanisms, long currentEpoch) {
    public TokenDescription {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        mechanisms = List.copyOf(mechanisms);
    }
}
