package dev.keyescrow.coordinator;

import dev.keyescrow.coordinator.ceremony.CreatedVersion;
import dev.keyescrow.coordinator.ceremony.DkgCeremony;
import dev.keyescrow.coordinator.ceremony.KeyCeremony;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.quorum.RequestIssuer;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.Token;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;

/**
 * How a key comes into the cluster: created by a ceremony (SHAMIR) or by distributed key
 * generation (FROST), or imported from outside; each checks its custodians first (distinct,
 * a valid threshold, no node holding a quorum).
 */
final class KeyIntake {
    private final CoordinatorService service;
    private final KeyCeremony ceremony;
    private final DkgCeremony dkg;
    private final Token token;
    private final SecureRandom random;

    KeyIntake(CoordinatorService service, KeyCeremony ceremony, DkgCeremony dkg, Token token, SecureRandom random) {
        this.service = service;
        this.ceremony = ceremony;
        this.dkg = dkg;
        this.token = token;
        this.random = random;
    }

    /**
     * Runs a key ceremony. The key id is {@code name} when that is a valid identifier not yet
     * taken, otherwise a generated one.
     */
    CreatedVersion createKey(String operator, String name, KeyAlgorithm algorithm, int threshold,
            List<String> custodianIds) throws RefusedException, IOException, KeyEscrowException {
        Identifiers.require(operator, "operator");
        int n = custodianIds.size();
        if (n < 2 || n > 255 || threshold < 2 || threshold > n) {
            throw new RefusedException(RefusalReason.INVALID, "threshold " + threshold + " of " + n
                    + " custodians is invalid: need 2 <= threshold <= custodians <= 255");
        }
        if (new HashSet<>(custodianIds).size() != n) {
            throw new RefusedException(RefusalReason.INVALID, "custodians must be distinct");
        }
        List<Custodian> custodians = new ArrayList<>();
        for (String c : custodianIds) {
            custodians.add(service.holderCandidate(c, ""));
        }
        requireNoNodeHoldsAQuorum(custodians, threshold);
        String keyId = name != null && Identifiers.isValid(name) && !service.isKeyIdTaken(name) ? name
                : generatedKeyId();
        return ceremony.create(keyId, algorithm, threshold, custodians);
    }

    /**
     * As {@link #createKey(String, String, KeyAlgorithm, int, List)} with a scheme: FROST (Ed25519
     * only) makes the key by distributed key generation among the holders' nodes, so no one, the
     * coordinator included, ever holds it whole.
     */
    CreatedVersion createKey(String operator, String name, KeyAlgorithm algorithm,
            dev.keyescrow.core.integrity.KeyScheme scheme, int threshold, List<String> custodianIds)
            throws RefusedException, IOException, KeyEscrowException {
        if (scheme != dev.keyescrow.core.integrity.KeyScheme.FROST) {
            return createKey(operator, name, algorithm, threshold, custodianIds);
        }
        Identifiers.require(operator, "operator");
        if (algorithm != KeyAlgorithm.ED25519) {
            throw new RefusedException(RefusalReason.INVALID, "scheme FROST needs algorithm ED25519, not "
                    + algorithm.wireName());
        }
        int n = custodianIds.size();
        if (n < 2 || n > 255 || threshold < 2 || threshold > n || new HashSet<>(custodianIds).size() != n) {
            throw new RefusedException(RefusalReason.INVALID, "threshold " + threshold + " of " + n
                    + " distinct custodians is invalid: need 2 <= threshold <= custodians <= 255");
        }
        List<Custodian> custodians = new ArrayList<>();
        for (String c : custodianIds) {
            custodians.add(service.holderCandidate(c, ""));
        }
        requireNoNodeHoldsAQuorum(custodians, threshold);
        String keyId = name != null && Identifiers.isValid(name) && !service.isKeyIdTaken(name) ? name
                : generatedKeyId();
        return dkg.create(keyId, threshold, custodians);
    }

    /**
     * Imports a key that exists outside this cluster (recovered from a paper backup or an
     * export): the material arrives wrapped to this coordinator's transport key with the
     * {@code key-import} KEK purpose ({@code docs/spec/kdf.md}, bound to the key id and the
     * algorithm), is opened through the token — accepted, then released to a fresh ephemeral
     * key — checked against {@code expectedKcv} and shared as version 1 exactly as a created
     * key. It is PRE_ACTIVE until every custodian has countersigned a manifest that shows its
     * KCV: that unanimous countersignature is the quorum's approval of the import.
     *
     * <p>Only envelopes that {@code escrow key import} made for this purpose open: a share
     * import, a release or a sealed ephemeral key does not. Names that are, or look like,
     * request ids ({@code req-...}) are refused, so that nothing a request owns
     * can ever be named by an imported key.
     */
    CreatedVersion importKey(String operator, String name, KeyAlgorithm algorithm, int threshold,
            List<String> custodianIds, byte[] envelope, String expectedKcv)
            throws RefusedException, IOException, KeyEscrowException {
        return importKey(operator, name, algorithm, dev.keyescrow.core.integrity.KeyScheme.SHAMIR, threshold,
                custodianIds, envelope, expectedKcv);
    }

    /**
     * Imports a key as {@code scheme}: SHAMIR splits the key's bytes; FROST (Ed25519 only)
     * splits its secret scalar by RFC 9591's trusted dealer, so the key signs by quorum
     * without ever being rebuilt again.
     */
    CreatedVersion importKey(String operator, String name, KeyAlgorithm algorithm,
            dev.keyescrow.core.integrity.KeyScheme scheme, int threshold, List<String> custodianIds, byte[] envelope,
            String expectedKcv) throws RefusedException, IOException, KeyEscrowException {
        Identifiers.require(operator, "operator");
        if (scheme == dev.keyescrow.core.integrity.KeyScheme.FROST && algorithm != KeyAlgorithm.ED25519) {
            throw new RefusedException(RefusalReason.INVALID, "scheme FROST needs algorithm ED25519, not "
                    + algorithm.wireName());
        }
        if (name == null || !Identifiers.isValid(name)) {
            throw new RefusedException(RefusalReason.INVALID, "name must be the key id: [a-z0-9][a-z0-9-]{0,63}");
        }
        if (name.startsWith(RequestIssuer.REQUEST_ID_PREFIX) || service.request(name).isPresent()) {
            throw new RefusedException(RefusalReason.INVALID, "name " + name + " is a request id (or starts with "
                    + RequestIssuer.REQUEST_ID_PREFIX + "): an imported key cannot take a request's name");
        }
        if (service.isKeyIdTaken(name)) {
            throw new RefusedException(RefusalReason.INVALID, "key id " + name + " is taken");
        }
        int n = custodianIds.size();
        if (n < 2 || n > 255 || threshold < 2 || threshold > n || new HashSet<>(custodianIds).size() != n) {
            throw new RefusedException(RefusalReason.INVALID, "threshold " + threshold + " of " + n
                    + " distinct custodians is invalid: need 2 <= threshold <= custodians <= 255");
        }
        List<Custodian> custodians = new ArrayList<>();
        for (String c : custodianIds) {
            custodians.add(service.holderCandidate(c, ""));
        }
        requireNoNodeHoldsAQuorum(custodians, threshold);
        byte[] digest = dev.keyescrow.hsm.spec.Statements.sha256(envelope);
        try (dev.keyescrow.hsm.spec.EphemeralKey opener = dev.keyescrow.hsm.spec.EphemeralKey.generate(random)) {
            dev.keyescrow.hsm.StoredShare accepted = token.acceptKeyImport(name, algorithm, envelope);
            dev.keyescrow.hsm.ShareRef ref = accepted.ref();
            dev.keyescrow.hsm.Release release = token.release(new dev.keyescrow.hsm.ReleaseRequest("key-import",
                    digest, opener.publicKey(), accepted));
            try (SecretBytes material = dev.keyescrow.hsm.spec.ReleaseOpener.open(opener, token.transportPublicKey(),
                    "key-import", digest, ref, release.wrapped())) {
                String kcv = dev.keyescrow.coordinator.ceremony.KeyMaterial.kcvOf(algorithm, material).hex();
                if (expectedKcv != null && !expectedKcv.equals(kcv)) {
                    throw new RefusedException(RefusalReason.INVALID, "the imported key's KCV is " + kcv
                            + ", not the expected " + expectedKcv + ": nothing was imported");
                }
                if (scheme == dev.keyescrow.core.integrity.KeyScheme.FROST) {
                    return ceremony.createFrost(name, threshold, custodians, material);
                }
                return ceremony.create(name, algorithm, threshold, custodians, material);
            }
        } catch (dev.keyescrow.hsm.CorruptBlobException | dev.keyescrow.hsm.InvalidPeerKeyException e) {
            throw new RefusedException(RefusalReason.INVALID, "the envelope is not a key-import envelope for this"
                    + " coordinator's transport key, key id " + name + " and " + algorithm.wireName()
                    + " (make it with 'escrow key import'): " + e.getMessage());
        }
    }

    /**
     * Trust model 1 assumes nodes run by independent administrators, and whoever holds a node's
     * token PIN can use every share on it: a node holding t shares would let one administrator
     * rebuild the key alone. Such a sharing is refused.
     */
    static void requireNoNodeHoldsAQuorum(List<Custodian> custodians, int threshold) throws RefusedException {
        java.util.Map<String, Integer> perNode = new java.util.TreeMap<>();
        for (Custodian c : custodians) {
            perNode.merge(c.nodeId(), 1, Integer::sum);
        }
        for (var entry : perNode.entrySet()) {
            if (entry.getValue() >= threshold) {
                throw new RefusedException(RefusalReason.INVALID, "node " + entry.getKey() + " would hold "
                        + entry.getValue() + " shares, at least the threshold " + threshold
                        + ": its administrator alone could rebuild the key; spread the custodians over more nodes");
            }
        }
    }

    private String generatedKeyId() {
        String candidate;
        do {
            byte[] bytes = new byte[6];
            random.nextBytes(bytes);
            candidate = "key-" + HexFormat.of().formatHex(bytes);
        } while (service.isKeyIdTaken(candidate));
        return candidate;
    }
}
