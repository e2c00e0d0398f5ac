package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.ImportedShare;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.Release;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.SealContext;
import dev.keyescrow.hsm.SessionKey;
import dev.keyescrow.hsm.ShareBlob;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.SignedStatement;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenDescription;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.hsm.VaultKind;
import dev.keyescrow.hsm.spec.FrostShareOpener;
import dev.keyescrow.hsm.spec.ImportEnvelope;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.P256;
import dev.keyescrow.hsm.spec.ReleaseConstruction;
import dev.keyescrow.hsm.spec.Statements;
import java.util.List;
import java.util.Map;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.PKCS11Token;

/**
 * A {@link Token} on any PKCS#11 module, through {@code org.xipki:ipkcs11wrapper}. Every
 * step that touches a share or a KEK runs inside the token ({@code docs/spec/kdf.md}):
 * ECDH with CKD_NULL into a session key Z, CKM_AES_ECB_ENCRYPT_DATA into the transport
 * KEK ({@link TransportKey}), RFC 5649 unwrap into a sensitive session object, wrap under
 * the other KEK, destroy ({@link ShareWrapping}). No share, KEK or private key value ever
 * crosses into this JVM.
 *
 * <p>Only a handful of token objects exist (identity and transport pairs, the epoch KEK, the
 * seal key); their handles are cached at open ({@link TokenObjects}). The token is written
 * only at provisioning and rotation ({@link EpochKeks}), because SoftHSM2's file store can
 * lose a token when killed mid-write; those writes take one lock.
 *
 * <p>SoftHSM2 reports a failed RFC 5649 check as CKR_GENERAL_ERROR. Such a failure is
 * reported as a corrupt blob only after a known-good probe (generate, wrap and unwrap a
 * throw-away session key under the current epoch KEK) succeeds; otherwise it is a token
 * failure. Thread-safe: releases run concurrently; imports and rotations take the lock.
 */
public final class Pkcs11Token implements Token {
    private final PKCS11Token p11;
    private final Pkcs11Settings settings;
    private final Pkcs11IdentitySigner identity;
    private final TransportKey transport;
    private final EpochKeks epochKeks;
    private final ShareWrapping shares;
    private final SealKey sealKey;

    private Pkcs11Token(PKCS11Token p11, Pkcs11Settings settings, TokenObjects objects) {
        Object writeLock = new Object();
        this.p11 = p11;
        this.settings = settings;
        this.identity = new Pkcs11IdentitySigner(p11, objects.identityPrivateKey(), objects.identityPublicKey());
        this.transport = new TransportKey(p11, objects.transportPrivateKey(), objects.transportPublicKey());
        this.epochKeks = new EpochKeks(p11, objects.epochKeks(), writeLock);
        this.shares = new ShareWrapping(p11, settings.keyWrap(), epochKeks);
        this.sealKey = new SealKey(p11, settings.tokenLabel(), objects.sealKey(), writeLock);
    }

    /**
     * Provisions an empty, initialized token: identity key pair, transport key pair, the seal
     * key and the KEK of epoch 1, all generated inside it.
     *
     * @throws TokenFailureException if the token already holds keyescrow keys, lacks a
     *                               mechanism, or fails
     */
    public static Pkcs11Token provision(PKCS11Module module, Pkcs11Settings settings) throws TokenFailureException {
        PKCS11Token p11 = Pkcs11Login.login(module, settings);
        return Pkcs11Login.closingOnFailure(p11, "provisioning token '" + settings.tokenLabel() + "'", () -> {
            if (TokenObjects.anyPresent(p11)) {
                throw new TokenFailureException("token '" + settings.tokenLabel()
                        + "' is already provisioned; refusing to provision over it");
            }
            Mechanism ecGen = new Mechanism(Mechanisms.CKM_EC_KEY_PAIR_GEN);
            p11.generateKeyPair(ecGen, ObjectTemplates.identityKeyPair());
            p11.generateKeyPair(ecGen, ObjectTemplates.transportKeyPair());
            p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.sealKey());
            p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.epochKek(1));
            return new Pkcs11Token(p11, settings, TokenObjects.find(p11, settings.tokenLabel()));
        });
    }

    /**
     * Opens a provisioned token and caches its handles.
     *
     * @throws TokenNotProvisionedException if a key is missing: refuse to serve, re-provision by quorum
     */
    public static Pkcs11Token open(PKCS11Module module, Pkcs11Settings settings) throws TokenFailureException {
        PKCS11Token p11 = Pkcs11Login.login(module, settings);
        return Pkcs11Login.closingOnFailure(p11, "opening token '" + settings.tokenLabel() + "'",
                () -> new Pkcs11Token(p11, settings, TokenObjects.find(p11, settings.tokenLabel())));
    }

    @Override
    public TokenDescription describe() {
        try {
            return new TokenDescription(VaultKind.PKCS11, settings.tokenLabel(),
                    EcdsaP256.fingerprint(identity.publicKey()), EcdsaP256.fingerprint(transport.publicKey()),
                    List.of(settings.keyWrap().toString(), "CKM_ECDH1_DERIVE (0x1050) + CKD_NULL",
                            "CKM_AES_ECB_ENCRYPT_DATA (0x1104)", "CKM_ECDSA (0x1041)"),
                    epochKeks.current());
        } catch (KeyEscrowException e) {
            throw new BugException("own public key does not decode", e);
        }
    }

    @Override
    public Signer identity() {
        return identity;
    }

    @Override
    public byte[] transportPublicKey() {
        return transport.publicKey();
    }

    /** The module's key-wrap setting in use. */
    public KeyWrapMechanism keyWrapMechanism() {
        return settings.keyWrap();
    }

    @Override
    public ImportedShare importShare(ShareRef ref, byte[] envelope)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        ShareBlob blob = unwrapIntoEpoch(envelope, KekContext.forImport(ref), ref);
        byte[] statement = Statements.importReceipt(settings.nodeId(), ref, envelope, blob.encoded());
        return new ImportedShare(new StoredShare(ref, blob),
                new SignedStatement(statement, identity.signStatement(statement)));
    }

    @Override
    public StoredShare acceptDkgShare(String ceremonyId, int sender, ShareRef recipient, byte[] envelope)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        return new StoredShare(recipient, unwrapIntoEpoch(envelope, KekContext.forDkgShare(ceremonyId, sender,
                recipient), recipient));
    }

    @Override
    public StoredShare acceptKeyImport(String keyId, KeyAlgorithm algorithm, byte[] envelope)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        ShareRef ref = new ShareRef(keyId, 1, 1, 32);
        return new StoredShare(ref, unwrapIntoEpoch(envelope, KekContext.forKeyImport(keyId, algorithm, 32), ref));
    }

    /** Opens an import-layout envelope under the transport KEK of {@code context}, re-wrapped under the current epoch. */
    private ShareBlob unwrapIntoEpoch(byte[] envelope, KekContext context, ShareRef ref)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        ImportEnvelope parsed = ImportEnvelope.parse(envelope);
        Map.Entry<Long, Long> epoch = epochKeks.forImport();
        long kek = transport.deriveKek(parsed.ephemeralPublicKey(), context);
        try {
            long share = shares.unwrap(kek, parsed.wrapped(), "import envelope of " + ref.label());
            try {
                return ShareBlob.of(epoch.getKey(), shares.wrap(epoch.getValue(), share));
            } finally {
                shares.destroy(share);
            }
        } finally {
            shares.destroy(kek);
        }
    }

    @Override
    public SecretBytes unwrapFrostShare(String requestId, byte[] requestDigest, StoredShare share)
            throws CorruptBlobException, TokenFailureException {
        return FrostShareOpener.unwrap(this, requestId, requestDigest, share);
    }

    @Override
    public Release release(ReleaseRequest request)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        byte[] e = request.ephemeralPublicKey();
        P256.decode(e);
        byte[] wrapped;
        long share = shares.openStored(request.share());
        try {
            long kek = transport.deriveKek(e, ReleaseConstruction.kekContext(request));
            try {
                wrapped = shares.wrap(kek, share);
            } finally {
                shares.destroy(kek);
            }
        } finally {
            shares.destroy(share);
        }
        byte[] statement = ReleaseConstruction.statement(request, settings.nodeId(), transport.publicKey(), wrapped);
        return new Release(wrapped, new SignedStatement(statement, identity.signStatement(statement)));
    }

    @Override
    public SessionKey openSessionKey(KeyAlgorithm algorithm, SecretBytes key) throws TokenFailureException {
        return Pkcs11SessionKey.load(p11, settings.tokenLabel(), algorithm, key);
    }

    @Override
    public byte[] seal(SealContext context, SecretBytes secret) throws TokenFailureException {
        return sealKey.seal(context, secret);
    }

    @Override
    public SecretBytes unseal(SealContext context, byte[] sealed) throws CorruptBlobException, TokenFailureException {
        return sealKey.unseal(context, sealed);
    }

    @Override
    public EpochRotation beginRotation() throws TokenFailureException {
        return new Pkcs11Rotation(epochKeks, shares, identity, settings.nodeId(), epochKeks.beginRotation());
    }

    @Override
    public List<Long> epochs() throws TokenFailureException {
        return epochKeks.onToken();
    }

    @Override
    public void retainOnlyEpoch(long completeEpoch) throws TokenFailureException {
        epochKeks.retainOnly(completeEpoch);
    }

    @Override
    public void close() {
        p11.closeAllSessions();
    }

    /** For tests in this package: the wrapper token, a KEK handle, the transport key and the probe. */
    PKCS11Token wrapperToken() {
        return p11;
    }

    Long epochKekHandle(long epoch) {
        return epochKeks.handle(epoch);
    }

    long transportPrivateKeyHandle() {
        return transport.privateKeyHandle();
    }

    boolean tokenPassesProbe() {
        return shares.tokenPassesProbe();
    }

    @Override
    public String toString() {
        return "Pkcs11Token[" + settings.tokenLabel() + ", node " + settings.nodeId() + "]";
    }
}
