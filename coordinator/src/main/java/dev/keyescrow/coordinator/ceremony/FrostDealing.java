package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.frost.DealerSplit;
import dev.keyescrow.core.frost.Ed25519KeyImport;
import dev.keyescrow.core.frost.KeyShare;
import dev.keyescrow.core.frost.SecretScalar;
import dev.keyescrow.core.frost.TrustedDealer;
import dev.keyescrow.core.integrity.FrostPublicKeys;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import dev.keyescrow.core.sharing.SplitId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 9591's trusted-dealer split of an existing Ed25519 key (migration into a FROST key):
 * the seed's secret scalar is split into {@code n} scalars modulo the group order, each
 * carried as a 32-byte share (little-endian scalar) that the nodes store, wrap and shred like
 * any share. The public key package (group key = the original public key, verification
 * shares) goes into the manifest.
 */
final class FrostDealing {
    /** The shares (the caller destroys them) and what the manifest pins. */
    record Dealt(List<Share> shares, FrostPublicKeys keys) {
    }

    private FrostDealing() {
    }

    /** Does not zero {@code seed}: the caller owns it. */
    static Dealt split(SecretBytes seed, int threshold, int n, SecureRandom random) throws KeyEscrowException {
        byte[] raw = seed.toByteArray(SecretAccess.plaintext());
        List<Share> shares = new ArrayList<>();
        try (SecretScalar secret = Ed25519KeyImport.secretScalarOf(raw);
             DealerSplit split = TrustedDealer.split(secret, threshold, n, random)) {
            byte[] id = new byte[SplitId.LENGTH_BYTES];
            random.nextBytes(id);
            SplitId splitId = SplitId.copyFrom(id);
            SharingParameters parameters = SharingParameters.of(threshold, n, 32);
            for (KeyShare keyShare : split.shares()) {
                try (SecretBytes value = SecretBytes.moveFrom(keyShare.signingShare()
                        .toByteArray(SecretAccess.plaintext()))) {
                    shares.add(Share.of(splitId, parameters, keyShare.id().value(), value));
                }
            }
            return new Dealt(List.copyOf(shares), FrostPublicKeys.of(split.publicKeyPackage()));
        } catch (KeyEscrowException | RuntimeException e) {
            shares.forEach(Share::destroy);
            throw e;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
