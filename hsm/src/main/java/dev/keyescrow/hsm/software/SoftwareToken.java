package dev.keyescrow.hsm.software;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.ImportedShare;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.PinSource;
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
import dev.keyescrow.hsm.VaultKind;
import dev.keyescrow.hsm.spec.AesKwp;
import dev.keyescrow.hsm.spec.ImportEnvelope;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.ReleaseConstruction;
import dev.keyescrow.hsm.spec.KekDerivation;
import dev.keyescrow.hsm.spec.P256;
import dev.keyescrow.hsm.spec.SealedSecret;
import dev.keyescrow.hsm.spec.ShareLength;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The development vault as a {@link Token}: the same operations and bytes as a PKCS#11
 * token, computed in this JVM with the {@code hsm.spec} constructions. Plaintext shares
 * exist here briefly (in zeroed arrays), which is why it is for development mode only and
 * always describes itself as {@link VaultKind#SOFTWARE}.
 */
public final class SoftwareToken implements Token {
    private final Path file;
    private final PinSource passphrase;
    private final String nodeId;
    private final SecureRandom random;
    private final SoftwareVault vault;
    private final SoftwareP256Signer identity;
    private final byte[] transportPublicKey;
    private final Object lock = new Object();
    private Rotation openRotation;

    private SoftwareToken(Path file, PinSource passphrase, String nodeId, SecureRandom random, SoftwareVault vault) {
        this.file = file;
        this.passphrase = passphrase;
        this.nodeId = nodeId;
        this.random = random;
        this.vault = vault;
        this.identity = SoftwareP256Signer.fromPrivateKey(vault.identityKey());
        this.transportPublicKey = P256.publicKeyOf(vault.transportKey());
    }

    /** Creates a new vault file with fresh identity and transport keys, seal key and epoch 1's KEK. */
    public static SoftwareToken provision(DevelopmentMode mode, Path file, PinSource passphrase, String nodeId,
            SecureRandom random) throws TokenFailureException {
        Objects.requireNonNull(mode, "mode");
        Identifiers.require(nodeId, "nodeId");
        if (Files.exists(file)) {
            throw new TokenFailureException("the development vault " + file.getFileName()
                    + " already exists; refusing to provision over it");
        }
        SoftwareVault vault = new SoftwareVault(P256.generatePrivateKey(random), P256.generatePrivateKey(random),
                Map.of(1L, randomKey(random)), randomKey(random));
        write(vault, file, passphrase);
        return new SoftwareToken(file, passphrase, nodeId, random, vault);
    }

    /** Opens an existing vault file. */
    public static SoftwareToken open(DevelopmentMode mode, Path file, PinSource passphrase, String nodeId,
            SecureRandom random) throws TokenFailureException {
        Objects.requireNonNull(mode, "mode");
        Identifiers.require(nodeId, "nodeId");
        char[] secret = passphrase.read();
        try {
            return new SoftwareToken(file, passphrase, nodeId, random, SoftwareVault.load(file, secret));
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    private static SecretBytes randomKey(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return SecretBytes.moveFrom(key);
    }

    private static void write(SoftwareVault vault, Path file, PinSource passphrase) throws TokenFailureException {
        char[] secret = passphrase.read();
        try {
            vault.store(file, secret);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    @Override
    public TokenDescription describe() {
        try {
            return new TokenDescription(VaultKind.SOFTWARE, file.getFileName().toString(),
                    EcdsaP256.fingerprint(identity.publicKey()), EcdsaP256.fingerprint(transportPublicKey),
                    List.of("software:AES-KWP(RFC 5649)", "software:ECDH-P256+AES-ECB KDF", "software:ECDSA-P256"),
                    currentEpoch());
        } catch (KeyEscrowException e) {
            throw new dev.keyescrow.core.error.BugException("own public key does not decode", e);
        }
    }

    private long currentEpoch() {
        synchronized (lock) {
            return openRotation != null ? openRotation.from : vault.epochKeks().lastKey();
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

    @Override
    public ImportedShare importShare(ShareRef ref, byte[] envelope)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        ShareBlob blob = unwrapIntoEpoch(envelope, KekContext.forImport(ref), ref);
        byte[] statement = Statements.importReceipt(nodeId, ref, envelope, blob.encoded());
        return new ImportedShare(new StoredShare(ref, blob), new SignedStatement(statement, identity.sign(statement)));
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

    private ShareBlob unwrapIntoEpoch(byte[] envelope, KekContext context, ShareRef ref)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        ImportEnvelope parsed = ImportEnvelope.parse(envelope);
        long epoch;
        SecretBytes epochKek;
        synchronized (lock) {
            if (openRotation != null) {
                throw new IllegalStateException("an epoch rotation is open; imports wait for it");
            }
            requireSingleEpoch();
            epoch = vault.epochKeks().lastKey();
            epochKek = vault.epochKeks().get(epoch);
        }
        byte[] e = parsed.ephemeralPublicKey();
        try (SecretBytes kek = KekDerivation.deriveKek(vault.transportKey(), e, context, e, transportPublicKey);
             SecretBytes value = ShareLength.trim(AesKwp.unwrap(kek, parsed.wrapped()), ref.length())) {
            return ShareBlob.of(epoch, AesKwp.wrap(epochKek, value));
        }
    }

    @Override
    public byte[] seal(SealContext context, SecretBytes secret) throws TokenFailureException {
        if (secret.length() < 1 || secret.length() > SealedSecret.MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("a sealed secret is 1 to " + SealedSecret.MAX_SECRET_LENGTH + " bytes");
        }
        SecretBytes key;
        synchronized (lock) {
            if (vault.sealKey() == null) {
                // a vault made before the seal key existed gets it now (one write of the file)
                vault.sealKey(randomKey(random));
                write(vault, file, passphrase);
            }
            key = vault.sealKey();
        }
        byte[] iv = new byte[SealedSecret.IV_LENGTH];
        random.nextBytes(iv);
        byte[] value = secret.toByteArray(SecretAccess.plaintext());
        try {
            return SealedSecret.of(iv, gcm(Cipher.ENCRYPT_MODE, key, iv, context, value)).encoded();
        } catch (AEADBadTagException e) {
            throw new dev.keyescrow.core.error.BugException("encryption checked a tag", e);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public SecretBytes unseal(SealContext context, byte[] sealed) throws CorruptBlobException {
        SealedSecret parsed = SealedSecret.parse(sealed);
        SecretBytes key;
        synchronized (lock) {
            key = vault.sealKey();
        }
        if (key == null) {
            throw new CorruptBlobException("this vault has no seal key, so it sealed nothing");
        }
        try {
            return SecretBytes.moveFrom(gcm(Cipher.DECRYPT_MODE, key, parsed.iv(), context, parsed.ciphertext()));
        } catch (AEADBadTagException e) {
            throw new CorruptBlobException("the sealed secret does not authenticate under this vault's seal key for "
                    + context.requestId());
        }
    }

    /** The JDK's AES-GCM (AES-NI, constant-time) under the seal key, with the context as additional data. */
    private static byte[] gcm(int mode, SecretBytes key, byte[] iv, SealContext context, byte[] input)
            throws AEADBadTagException {
        byte[] raw = key.toByteArray(SecretAccess.plaintext());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(SealedSecret.TAG_LENGTH * 8, iv));
            cipher.updateAAD(context.additionalData());
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new dev.keyescrow.core.error.BugException("the JDK's AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public SessionKey openSessionKey(KeyAlgorithm algorithm, SecretBytes key) {
        if (key.length() != 32) {
            throw new IllegalArgumentException("a session key must be 32 bytes");
        }
        byte[] copy = key.toByteArray(SecretAccess.plaintext());
        return new SoftwareSessionKey(Objects.requireNonNull(algorithm, "algorithm"), SecretBytes.moveFrom(copy));
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
        try (SecretBytes value = open(request.share());
             SecretBytes kek = KekDerivation.deriveKek(vault.transportKey(), e,
                     ReleaseConstruction.kekContext(request), e,
                     transportPublicKey)) {
            wrapped = AesKwp.wrap(kek, value);
        }
        byte[] statement = ReleaseConstruction.statement(request, nodeId, transportPublicKey, wrapped);
        return new Release(wrapped, new SignedStatement(statement, identity.sign(statement)));
    }

    private SecretBytes open(StoredShare share) throws CorruptBlobException {
        SecretBytes kek;
        synchronized (lock) {
            kek = vault.epochKeks().get(share.blob().epoch());
        }
        if (kek == null) {
            throw new ShreddedShareException("share " + share.ref().label() + " is under epoch "
                    + share.blob().epoch() + ", whose KEK no longer exists");
        }
        try {
            return ShareLength.trim(AesKwp.unwrap(kek, share.blob().wrapped()), share.ref().length());
        } catch (CorruptBlobException | IllegalStateException e) {
            synchronized (lock) {
                if (!vault.epochKeks().containsKey(share.blob().epoch())) {
                    // a rotation committed (and zeroed the KEK) during this call
                    throw new ShreddedShareException("share " + share.ref().label() + " is under epoch "
                            + share.blob().epoch() + ", whose KEK was destroyed during this call");
                }
            }
            throw e;
        }
    }

    @Override
    public EpochRotation beginRotation() throws TokenFailureException {
        synchronized (lock) {
            if (openRotation != null) {
                throw new IllegalStateException("an epoch rotation is already open");
            }
            requireSingleEpoch();
            long from = vault.epochKeks().lastKey();
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            vault.epochKeks().put(from + 1, SecretBytes.moveFrom(raw));
            write(vault, file, passphrase);
            openRotation = new Rotation(from, from + 1);
            return openRotation;
        }
    }

    private void requireSingleEpoch() throws TokenFailureException {
        if (vault.epochKeks().size() != 1) {
            throw new TokenFailureException("the vault holds epochs " + vault.epochKeks().keySet()
                    + " after an interrupted rotation; call retainOnlyEpoch with the complete one");
        }
    }

    @Override
    public List<Long> epochs() {
        synchronized (lock) {
            return List.copyOf(vault.epochKeks().keySet());
        }
    }

    @Override
    public void retainOnlyEpoch(long completeEpoch) throws TokenFailureException {
        synchronized (lock) {
            if (openRotation != null) {
                throw new IllegalStateException("an epoch rotation is open");
            }
            if (!vault.epochKeks().containsKey(completeEpoch)) {
                throw new TokenFailureException("epoch " + completeEpoch + " has no KEK in the vault");
            }
            TreeMap<Long, SecretBytes> removed = new TreeMap<>(vault.epochKeks());
            removed.remove(completeEpoch);
            if (removed.isEmpty()) {
                return;
            }
            removed.keySet().forEach(vault.epochKeks()::remove);
            write(vault, file, passphrase);
            removed.values().forEach(SecretBytes::destroy);
        }
    }

    @Override
    public void close() {
        vault.destroy();
    }

    @Override
    public String toString() {
        return "SoftwareToken[" + file.getFileName() + ", node " + nodeId + "]";
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
        public List<StoredShare> rewrap(List<StoredShare> survivors) throws CorruptBlobException {
            requireOpen();
            SecretBytes kek;
            synchronized (lock) {
                kek = vault.epochKeks().get(to);
            }
            List<StoredShare> out = new ArrayList<>(survivors.size());
            for (StoredShare share : survivors) {
                try (SecretBytes value = SoftwareToken.this.open(share)) {
                    out.add(new StoredShare(share.ref(), ShareBlob.of(to, AesKwp.wrap(kek, value))));
                }
            }
            return out;
        }

        @Override
        public SignedStatement commit(List<ShareRef> destroyed) throws TokenFailureException {
            requireOpen();
            Objects.requireNonNull(destroyed, "destroyed");
            synchronized (lock) {
                SecretBytes old = vault.epochKeks().remove(from);
                write(vault, file, passphrase);
                old.destroy();
                finished = true;
                openRotation = null;
            }
            byte[] statement = Statements.shredReceipt(nodeId, to, destroyed);
            return new SignedStatement(statement, identity.sign(statement));
        }

        @Override
        public void close() throws TokenFailureException {
            synchronized (lock) {
                if (finished) {
                    return;
                }
                finished = true;
                openRotation = null;
                SecretBytes fresh = vault.epochKeks().remove(to);
                write(vault, file, passphrase);
                fresh.destroy();
            }
        }

        private void requireOpen() {
            if (finished) {
                throw new IllegalStateException("this rotation is already committed or aborted");
            }
        }
    }
}
