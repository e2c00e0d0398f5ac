package dev.keyescrow.hsm.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_POINT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_SECRET_KEY;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretAccess;
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
import dev.keyescrow.hsm.ShreddedShareException;
import dev.keyescrow.hsm.SignedStatement;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenDescription;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.hsm.VaultKind;
import dev.keyescrow.hsm.spec.ImportEnvelope;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.ReleaseConstruction;
import dev.keyescrow.hsm.spec.KekDerivation;
import dev.keyescrow.hsm.spec.P256;
import dev.keyescrow.hsm.spec.SealedSecret;
import dev.keyescrow.hsm.spec.Statements;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;
import org.xipki.pkcs11.wrapper.params.KEY_DERIVATION_STRING_DATA;

/**
 * A {@link Token} on any PKCS#11 module, through {@code org.xipki:ipkcs11wrapper}. Every
 * step that touches a share or a KEK runs inside the token ({@code docs/spec/kdf.md}):
 * ECDH with CKD_NULL into a session key Z, CKM_AES_ECB_ENCRYPT_DATA into the transport
 * KEK, RFC 5649 unwrap into a sensitive session object, wrap under the other KEK, destroy.
 * No share, KEK or private key value ever crosses into this JVM.
 *
 * <p>Only a handful of token objects exist (identity and transport pairs, the epoch KEK, the
 * seal key); their handles are cached at open. The token is written only at provisioning and
 * rotation, because SoftHSM2's file store can lose a token when killed mid-write.
 *
 * <p>SoftHSM2 reports a failed RFC 5649 check as CKR_GENERAL_ERROR. Such a failure is
 * reported as a corrupt blob only after a known-good probe (generate, wrap and unwrap a
 * throw-away session key under the current epoch KEK) succeeds; otherwise it is a token
 * failure. Thread-safe: releases run concurrently; imports and rotations take the lock.
 */
public final class Pkcs11Token implements Token {
    /** IVs of the seal key: fresh and random, 96 bits (few seals per key, far below GCM's 2^32 bound). */
    private static final SecureRandom SEAL_IVS = drbg();

    private final PKCS11Token p11;
    private final Pkcs11Settings settings;
    private final Mechanism keyWrap;
    private final long transportPrivateKey;
    private final byte[] transportPublicKey;
    private final Pkcs11IdentitySigner identity;
    private final Object lock = new Object();
    /** The seal key's handle; null until made, for a token provisioned before it existed. */
    private volatile Long sealKey;
    /** epoch → KEK handle; replaced, never mutated, under {@link #lock}. */
    private volatile TreeMap<Long, Long> epochKeks;
    private Rotation openRotation;

    private Pkcs11Token(PKCS11Token p11, Pkcs11Settings settings, long identityPrivateKey, byte[] identityPublicKey,
            long transportPrivateKey, byte[] transportPublicKey, TreeMap<Long, Long> epochKeks, Long sealKey) {
        this.p11 = p11;
        this.settings = settings;
        this.keyWrap = new Mechanism(settings.keyWrap().code());
        this.identity = new Pkcs11IdentitySigner(p11, identityPrivateKey, identityPublicKey);
        this.transportPrivateKey = transportPrivateKey;
        this.transportPublicKey = transportPublicKey;
        this.epochKeks = epochKeks;
        this.sealKey = sealKey;
    }

    /**
     * Provisions an empty, initialized token: identity key pair, transport key pair, the seal
     * key and the KEK of epoch 1, all generated inside it.
     *
     * @throws TokenFailureException if the token already holds keyescrow keys, lacks a
     *                               mechanism, or fails
     */
    public static Pkcs11Token provision(PKCS11Module module, Pkcs11Settings settings) throws TokenFailureException {
        PKCS11Token p11 = login(module, settings);
        try {
            if (findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.IDENTITY) != null
                    || findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.TRANSPORT) != null || !epochKeks(p11).isEmpty()) {
                throw new TokenFailureException("token '" + settings.tokenLabel()
                        + "' is already provisioned; refusing to provision over it");
            }
            Mechanism ecGen = new Mechanism(Mechanisms.CKM_EC_KEY_PAIR_GEN);
            p11.generateKeyPair(ecGen, ObjectTemplates.identityKeyPair());
            p11.generateKeyPair(ecGen, ObjectTemplates.transportKeyPair());
            p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.sealKey());
            p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.epochKek(1));
            return fromObjects(p11, settings);
        } catch (TokenException e) {
            p11.closeAllSessions();
            throw new TokenFailureException("provisioning token '" + settings.tokenLabel() + "' failed: "
                    + Pkcs11Failures.name(e));
        } catch (TokenFailureException e) {
            p11.closeAllSessions();
            throw e;
        }
    }

    /**
     * Opens a provisioned token and caches its handles.
     *
     * @throws TokenNotProvisionedException if a key is missing: refuse to serve, re-provision by quorum
     */
    public static Pkcs11Token open(PKCS11Module module, Pkcs11Settings settings) throws TokenFailureException {
        PKCS11Token p11 = login(module, settings);
        try {
            return fromObjects(p11, settings);
        } catch (TokenException e) {
            p11.closeAllSessions();
            throw new TokenFailureException("opening token '" + settings.tokenLabel() + "' failed: "
                    + Pkcs11Failures.name(e));
        } catch (TokenFailureException e) {
            p11.closeAllSessions();
            throw e;
        }
    }

    private static PKCS11Token login(PKCS11Module module, Pkcs11Settings settings) throws TokenFailureException {
        Slot slot;
        try {
            slot = findSlot(module, settings.tokenLabel());
        } catch (TokenException e) {
            throw new TokenFailureException("cannot list the module's slots: " + Pkcs11Failures.name(e));
        }
        char[] pin = settings.pin().read();
        try {
            PKCS11Token p11 = new PKCS11Token(slot.getToken(), false, pin);
            for (long required : new long[] {Mechanisms.CKM_EC_KEY_PAIR_GEN, Mechanisms.CKM_ECDSA,
                    Mechanisms.CKM_ECDH1_DERIVE, Mechanisms.CKM_AES_ECB_ENCRYPT_DATA, Mechanisms.CKM_AES_KEY_GEN,
                    settings.keyWrap().code()}) {
                if (!p11.getMechanisms().contains(required)) {
                    p11.closeAllSessions();
                    throw new TokenFailureException(String.format(
                            "token '%s' lacks mechanism 0x%04X%s", settings.tokenLabel(), required,
                            required == settings.keyWrap().code() ? " (the configured key-wrap " + settings.keyWrap()
                                    + "; check the keyWrap setting)" : ""));
                }
            }
            return p11;
        } catch (TokenException e) {
            throw new TokenFailureException("cannot log in to token '" + settings.tokenLabel() + "': "
                    + Pkcs11Failures.name(e));
        } finally {
            // ipkcs11wrapper keeps a reference to this array for re-login; zeroing it means a
            // lost login is recovered by reopening the token (its handles change anyway)
            Arrays.fill(pin, '\0');
        }
    }

    private static Slot findSlot(PKCS11Module module, String label) throws TokenException, TokenFailureException {
        for (Slot slot : module.getSlotList(true)) {
            var info = slot.getToken().getTokenInfo();
            if (info.isTokenInitialized() && label.equals(info.getLabel().trim())) {
                return slot;
            }
        }
        throw new TokenNotProvisionedException("no initialized token labelled '" + label + "' in the module");
    }

    private static Pkcs11Token fromObjects(PKCS11Token p11, Pkcs11Settings settings)
            throws TokenException, TokenFailureException {
        Long identityPrivate = findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.IDENTITY);
        Long identityPublic = findOne(p11, CKO_PUBLIC_KEY, ObjectLabels.IDENTITY);
        Long transportPrivate = findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.TRANSPORT);
        Long transportPublic = findOne(p11, CKO_PUBLIC_KEY, ObjectLabels.TRANSPORT);
        TreeMap<Long, Long> keks = epochKeks(p11);
        if (identityPrivate == null || identityPublic == null || transportPrivate == null || transportPublic == null
                || keks.isEmpty()) {
            throw new TokenNotProvisionedException("token '" + settings.tokenLabel()
                    + "' lacks its identity key, transport key or epoch KEK; it must be re-provisioned");
        }
        return new Pkcs11Token(p11, settings, identityPrivate, ecPoint(p11, identityPublic), transportPrivate,
                ecPoint(p11, transportPublic), keks, findOne(p11, CKO_SECRET_KEY, ObjectLabels.SEAL));
    }

    private static Long findOne(PKCS11Token p11, long objectClass, String label)
            throws TokenException, TokenFailureException {
        long[] found = p11.findAllObjects(new AttributeVector().class_(objectClass).label(label).token(true));
        if (found.length > 1) {
            throw new TokenNotProvisionedException("the token holds " + found.length + " objects labelled '" + label
                    + "'; expected one");
        }
        return found.length == 0 ? null : found[0];
    }

    private static TreeMap<Long, Long> epochKeks(PKCS11Token p11) throws TokenException {
        TreeMap<Long, Long> keks = new TreeMap<>();
        for (long handle : p11.findAllObjects(new AttributeVector().class_(CKO_SECRET_KEY).token(true))) {
            OptionalLong epoch = ObjectLabels.parseEpoch(p11.getAttrValues(handle, CKA_LABEL).label());
            if (epoch.isPresent()) {
                keks.put(epoch.getAsLong(), handle);
            }
        }
        return keks;
    }

    private static byte[] ecPoint(PKCS11Token p11, long publicKey) throws TokenException, TokenFailureException {
        byte[] point = p11.getAttrValues(publicKey, CKA_EC_POINT).ecPoint();
        if (point != null && point.length == 67 && point[0] == 0x04 && point[1] == 0x41) {
            point = Arrays.copyOfRange(point, 2, 67); // a DER OCTET STRING the wrapper did not unwrap
        }
        try {
            P256.decode(point);
        } catch (InvalidPeerKeyException e) {
            throw new TokenFailureException("a public key on the token is not a P-256 point");
        }
        return point;
    }

    @Override
    public TokenDescription describe() {
        try {
            return new TokenDescription(VaultKind.PKCS11, settings.tokenLabel(),
                    EcdsaP256.fingerprint(identity.publicKey()), EcdsaP256.fingerprint(transportPublicKey),
                    List.of(settings.keyWrap().toString(), "CKM_ECDH1_DERIVE (0x1050) + CKD_NULL",
                            "CKM_AES_ECB_ENCRYPT_DATA (0x1104)", "CKM_ECDSA (0x1041)"),
                    currentEpoch());
        } catch (KeyEscrowException e) {
            throw new BugException("own public key does not decode", e);
        }
    }

    private long currentEpoch() {
        synchronized (lock) {
            return openRotation != null ? openRotation.from : epochKeks.lastKey();
        }
    }

    @Override
    public Signer identity() {
        return identity;
    }

    @Override
    public byte[] transportPublicKey() {
        return transportPublicKey.clone();
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
        return new ImportedShare(new StoredShare(ref, blob), new SignedStatement(statement, sign(statement)));
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
        long epoch;
        long epochKek;
        synchronized (lock) {
            if (openRotation != null) {
                throw new IllegalStateException("an epoch rotation is open; imports wait for it");
            }
            requireSingleEpoch();
            epoch = epochKeks.lastKey();
            epochKek = epochKeks.get(epoch);
        }
        byte[] e = parsed.ephemeralPublicKey();
        long kek = deriveTransportKek(e, context);
        try {
            long share = unwrapShare(kek, parsed.wrapped(), "import envelope of " + ref.label());
            try {
                return ShareBlob.of(epoch, wrap(epochKek, share));
            } finally {
                destroyQuietly(share);
            }
        } finally {
            destroyQuietly(kek);
        }
    }

    @Override
    public SecretBytes unwrapFrostShare(String requestId, byte[] requestDigest, StoredShare share)
            throws CorruptBlobException, TokenFailureException {
        return dev.keyescrow.hsm.spec.FrostShareOpener.unwrap(this, requestId, requestDigest, share);
    }

    @Override
    public Release release(ReleaseRequest request)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        byte[] e = request.ephemeralPublicKey();
        P256.decode(e);
        byte[] wrapped;
        long share = openStored(request.share());
        try {
            long kek = deriveTransportKek(e, ReleaseConstruction.kekContext(request));
            try {
                wrapped = wrap(kek, share);
            } finally {
                destroyQuietly(kek);
            }
        } finally {
            destroyQuietly(share);
        }
        byte[] statement = ReleaseConstruction.statement(request, settings.nodeId(), transportPublicKey, wrapped);
        return new Release(wrapped, new SignedStatement(statement, sign(statement)));
    }

    @Override
    public SessionKey openSessionKey(KeyAlgorithm algorithm, SecretBytes key) throws TokenFailureException {
        if (key.length() != 32) {
            throw new IllegalArgumentException("a session key must be 32 bytes");
        }
        long mechanism = switch (algorithm) {
            case AES_256 -> Mechanisms.CKM_AES_GCM;
            case EC_P256 -> Mechanisms.CKM_ECDSA;
            case ED25519 -> Mechanisms.CKM_EDDSA;
        };
        if (!p11.getMechanisms().contains(mechanism)) {
            throw new TokenFailureException(String.format("token '%s' lacks mechanism 0x%04X, needed to use an"
                    + " %s key", settings.tokenLabel(), mechanism, algorithm.wireName()));
        }
        byte[] value = key.toByteArray(SecretAccess.plaintext());
        try {
            long handle = p11.createObject(switch (algorithm) {
                case AES_256 -> ObjectTemplates.sessionAesKey(value);
                case EC_P256 -> ObjectTemplates.sessionP256Key(value);
                case ED25519 -> ObjectTemplates.sessionEd25519Key(value);
            });
            return new Pkcs11SessionKey(p11, algorithm, handle);
        } catch (TokenException e) {
            throw new TokenFailureException("loading an " + algorithm.wireName() + " session key into the token"
                    + " failed: " + Pkcs11Failures.name(e));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public byte[] seal(SealContext context, SecretBytes secret) throws TokenFailureException {
        if (secret.length() < 1 || secret.length() > SealedSecret.MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("a sealed secret is 1 to " + SealedSecret.MAX_SECRET_LENGTH + " bytes");
        }
        long key = sealKeyCreatingIfMissing();
        byte[] iv = new byte[SealedSecret.IV_LENGTH];
        SEAL_IVS.nextBytes(iv);
        byte[] value = secret.toByteArray(SecretAccess.plaintext());
        try {
            return SealedSecret.of(iv, p11.encrypt(gcm(iv, context), key, value)).encoded();
        } catch (TokenException e) {
            throw new TokenFailureException("sealing with the seal key failed: " + Pkcs11Failures.name(e));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public SecretBytes unseal(SealContext context, byte[] sealed) throws CorruptBlobException, TokenFailureException {
        SealedSecret parsed = SealedSecret.parse(sealed);
        Long key = sealKey;
        if (key == null) {
            throw new CorruptBlobException("this token has no seal key, so it sealed nothing");
        }
        requireGcm();
        try {
            return SecretBytes.moveFrom(p11.decrypt(gcm(parsed.iv(), context), key, parsed.ciphertext()));
        } catch (TokenException e) {
            if (Pkcs11Failures.mayBeBadWrappedBytes(e) && sealRoundTripWorks(key)) {
                throw new CorruptBlobException("the sealed secret does not authenticate under this token's seal key"
                        + " for " + context.requestId());
            }
            throw new TokenFailureException("unsealing with the seal key failed: " + Pkcs11Failures.name(e));
        }
    }

    /** The seal key's handle; a token provisioned before the seal key existed gets it now (one token write). */
    private long sealKeyCreatingIfMissing() throws TokenFailureException {
        requireGcm();
        Long key = sealKey;
        if (key != null) {
            return key;
        }
        synchronized (lock) {
            if (sealKey == null) {
                try {
                    sealKey = p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.sealKey());
                } catch (TokenException e) {
                    throw new TokenFailureException("creating the seal key failed: " + Pkcs11Failures.name(e));
                }
            }
            return sealKey;
        }
    }

    private void requireGcm() throws TokenFailureException {
        if (!p11.getMechanisms().contains(Mechanisms.CKM_AES_GCM)) {
            throw new TokenFailureException(String.format("token '%s' lacks mechanism 0x%04X (AES-GCM), needed to"
                    + " seal", settings.tokenLabel(), Mechanisms.CKM_AES_GCM));
        }
    }

    private static Mechanism gcm(byte[] iv, SealContext context) {
        return new Mechanism(Mechanisms.CKM_AES_GCM, new GCM_PARAMS(iv, context.additionalData(),
                SealedSecret.TAG_LENGTH * 8));
    }

    /**
     * SoftHSM2 2.6 reports a failed GCM tag as CKR_GENERAL_ERROR, like a failing token: the
     * failure is a bad blob only if random bytes then make the round trip under the same key.
     */
    private boolean sealRoundTripWorks(long key) {
        byte[] iv = new byte[SealedSecret.IV_LENGTH];
        byte[] probe = new byte[16];
        SEAL_IVS.nextBytes(iv);
        SEAL_IVS.nextBytes(probe);
        Mechanism mechanism = new Mechanism(Mechanisms.CKM_AES_GCM, new GCM_PARAMS(iv, new byte[0],
                SealedSecret.TAG_LENGTH * 8));
        try {
            return Arrays.equals(probe, p11.decrypt(mechanism, key, p11.encrypt(mechanism, key, probe)));
        } catch (TokenException e) {
            return false;
        }
    }

    /** Unwraps a stored blob into a session object under its epoch's KEK; the caller destroys it. */
    private long openStored(StoredShare stored) throws CorruptBlobException, TokenFailureException {
        Long kek = epochKeks.get(stored.blob().epoch());
        if (kek == null) {
            throw new ShreddedShareException("share " + stored.ref().label() + " is under epoch "
                    + stored.blob().epoch() + ", whose KEK no longer exists");
        }
        try {
            return unwrapShare(kek, stored.blob().wrapped(), "stored blob of " + stored.ref().label());
        } catch (CorruptBlobException | TokenFailureException e) {
            if (!epochKeks.containsKey(stored.blob().epoch())) {
                // a rotation committed between the lookup and the unwrap: the KEK was destroyed
                throw new ShreddedShareException("share " + stored.ref().label() + " is under epoch "
                        + stored.blob().epoch() + ", whose KEK was destroyed during this call");
            }
            throw e;
        }
    }

    private long deriveTransportKek(byte[] ephemeralPublicKey, KekContext context) throws TokenFailureException {
        long z;
        try {
            z = p11.deriveKey(new Mechanism(Mechanisms.CKM_ECDH1_DERIVE,
                    new ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null, ephemeralPublicKey)), transportPrivateKey,
                    ObjectTemplates.sharedSecret());
        } catch (TokenException e) {
            throw new TokenFailureException("ECDH with the transport key failed: " + Pkcs11Failures.name(e));
        }
        try {
            byte[] d = KekDerivation.derivationData(context, ephemeralPublicKey, transportPublicKey);
            return p11.deriveKey(new Mechanism(Mechanisms.CKM_AES_ECB_ENCRYPT_DATA, new KEY_DERIVATION_STRING_DATA(d)),
                    z, ObjectTemplates.transportKek());
        } catch (TokenException e) {
            throw new TokenFailureException("deriving the transport KEK failed: " + Pkcs11Failures.name(e));
        } finally {
            destroyQuietly(z);
        }
    }

    private long unwrapShare(long kek, byte[] wrapped, String what) throws CorruptBlobException, TokenFailureException {
        return Unwrapping.unwrap(p11, keyWrap, kek, wrapped, ObjectTemplates.share(), what, this::tokenPassesProbe);
    }

    private byte[] wrap(long kek, long share) throws TokenFailureException {
        try {
            return p11.wrapKey(keyWrap, kek, share);
        } catch (TokenException e) {
            throw new TokenFailureException("wrapping a share failed: " + Pkcs11Failures.name(e));
        }
    }

    /**
     * The known-good operation that tells a bad blob from a bad token: a throw-away session
     * AES key is generated, wrapped and unwrapped under the current epoch KEK.
     */
    boolean tokenPassesProbe() {
        TreeMap<Long, Long> keks = epochKeks;
        return !keks.isEmpty() && Unwrapping.probe(p11, keyWrap, keks.firstEntry().getValue());
    }

    private byte[] sign(byte[] statement) throws TokenFailureException {
        try {
            return identity.sign(statement);
        } catch (TokenFailureException e) {
            throw e;
        } catch (KeyEscrowException e) {
            throw new TokenFailureException("signing failed", e);
        }
    }

    private void destroyQuietly(long handle) {
        if (handle < 0) {
            return;
        }
        try {
            p11.destroyObject(handle);
        } catch (TokenException ignored) {
            // a session object; it dies with the session at the latest
        }
    }

    @Override
    public EpochRotation beginRotation() throws TokenFailureException {
        synchronized (lock) {
            if (openRotation != null) {
                throw new IllegalStateException("an epoch rotation is already open");
            }
            requireSingleEpoch();
            long from = epochKeks.lastKey();
            long handle;
            try {
                handle = p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.epochKek(from + 1));
            } catch (TokenException e) {
                throw new TokenFailureException("creating the KEK of epoch " + (from + 1) + " failed: "
                        + Pkcs11Failures.name(e));
            }
            TreeMap<Long, Long> next = new TreeMap<>(epochKeks);
            next.put(from + 1, handle);
            epochKeks = next;
            openRotation = new Rotation(from, from + 1);
            return openRotation;
        }
    }

    private void requireSingleEpoch() throws TokenFailureException {
        if (epochKeks.size() != 1) {
            throw new TokenFailureException("the token holds epochs " + epochKeks.keySet()
                    + " after an interrupted rotation; call retainOnlyEpoch with the complete one");
        }
    }

    @Override
    public List<Long> epochs() throws TokenFailureException {
        try {
            return List.copyOf(epochKeks(p11).keySet());
        } catch (TokenException e) {
            throw new TokenFailureException("listing epoch KEKs failed: " + Pkcs11Failures.name(e));
        }
    }

    @Override
    public void retainOnlyEpoch(long completeEpoch) throws TokenFailureException {
        synchronized (lock) {
            if (openRotation != null) {
                throw new IllegalStateException("an epoch rotation is open");
            }
            if (!epochKeks.containsKey(completeEpoch)) {
                throw new TokenFailureException("epoch " + completeEpoch + " has no KEK in the token");
            }
            TreeMap<Long, Long> before = epochKeks;
            TreeMap<Long, Long> only = new TreeMap<>();
            only.put(completeEpoch, before.get(completeEpoch));
            epochKeks = only;
            for (var entry : before.entrySet()) {
                if (entry.getKey() != completeEpoch) {
                    destroyKek(entry.getKey(), entry.getValue());
                }
            }
        }
    }

    private void destroyKek(long epoch, long handle) throws TokenFailureException {
        try {
            p11.destroyObject(handle);
        } catch (TokenException e) {
            throw new TokenFailureException("destroying the KEK of epoch " + epoch + " failed: "
                    + Pkcs11Failures.name(e));
        }
    }

    @Override
    public void close() {
        p11.closeAllSessions();
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no DRBG", e);
        }
    }

    /** For tests in this package: the wrapper token and a KEK handle. */
    PKCS11Token wrapperToken() {
        return p11;
    }

    Long epochKekHandle(long epoch) {
        return epochKeks.get(epoch);
    }

    long transportPrivateKeyHandle() {
        return transportPrivateKey;
    }

    @Override
    public String toString() {
        return "Pkcs11Token[" + settings.tokenLabel() + ", node " + settings.nodeId() + "]";
    }

    private final class Rotation implements EpochRotation {
        private final long from;
        private final long to;
        private boolean finished;

        Rotation(long from, long to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public long fromEpoch() {
            return from;
        }

        @Override
        public long toEpoch() {
            return to;
        }

        @Override
        public List<StoredShare> rewrap(List<StoredShare> survivors) throws CorruptBlobException, TokenFailureException {
            requireOpen();
            long kek = epochKeks.get(to);
            List<StoredShare> out = new ArrayList<>(survivors.size());
            for (StoredShare stored : survivors) {
                long share = openStored(stored);
                try {
                    out.add(new StoredShare(stored.ref(), ShareBlob.of(to, wrap(kek, share))));
                } finally {
                    destroyQuietly(share);
                }
            }
            return out;
        }

        @Override
        public SignedStatement commit(List<ShareRef> destroyed) throws TokenFailureException {
            requireOpen();
            Objects.requireNonNull(destroyed, "destroyed");
            synchronized (lock) {
                // forget the old KEK before destroying it, so a release racing this commit
                // reads its failure as "shredded"; put it back if the destroy fails
                TreeMap<Long, Long> before = epochKeks;
                TreeMap<Long, Long> next = new TreeMap<>(before);
                next.remove(from);
                epochKeks = next;
                try {
                    destroyKek(from, before.get(from));
                } catch (TokenFailureException e) {
                    epochKeks = before;
                    throw e;
                }
                finished = true;
                openRotation = null;
            }
            byte[] statement = Statements.shredReceipt(settings.nodeId(), to, destroyed);
            return new SignedStatement(statement, sign(statement));
        }

        @Override
        public void close() throws TokenFailureException {
            synchronized (lock) {
                if (finished) {
                    return;
                }
                finished = true;
                openRotation = null;
                TreeMap<Long, Long> before = epochKeks;
                TreeMap<Long, Long> next = new TreeMap<>(before);
                next.remove(to);
                epochKeks = next;
                destroyKek(to, before.get(to));
            }
        }

        private void requireOpen() {
            if (finished) {
                throw new IllegalStateException("this rotation is already committed or aborted");
            }
        }
    }
}
