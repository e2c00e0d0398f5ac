package dev.keyescrow.hsm.software;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.hsm.spec.P256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.BigIntegers;

/**
 * The development vault's file: a BCFKS keystore holding the identity and transport
 * private keys (each with a self-signed certificate, which BCFKS requires), the AES-256 seal
 * key ({@code seal}; absent from a vault made before it existed, until its first seal) and one
 * AES-256 entry per epoch KEK ({@code epoch-<n>}). Written atomically (temporary file, fsync,
 * rename, fsync of the directory), so a crash leaves the previous or the new file.
 */
final class SoftwareVault {
    static final String IDENTITY = "identity";
    static final String TRANSPORT = "transport";
    static final String SEAL = "seal";
    private static final String EPOCH_PREFIX = "epoch-";
    private static final Pattern EPOCH_ALIAS = Pattern.compile("epoch-([1-9][0-9]{0,9})");
    private static final Provider BC = new BouncyCastleProvider();

    private final SecretBytes identityKey;
    private final SecretBytes transportKey;
    private final TreeMap<Long, SecretBytes> epochKeks;
    private SecretBytes sealKey;

    SoftwareVault(SecretBytes identityKey, SecretBytes transportKey, Map<Long, SecretBytes> epochKeks,
            SecretBytes sealKey) {
        this.identityKey = identityKey;
        this.transportKey = transportKey;
        this.epochKeks = new TreeMap<>(epochKeks);
        this.sealKey = sealKey;
    }

    SecretBytes identityKey() {
        return identityKey;
    }

    SecretBytes transportKey() {
        return transportKey;
    }

    /** The seal key, or null in a vault made before it existed (callers hold the token's lock). */
    SecretBytes sealKey() {
        return sealKey;
    }

    void sealKey(SecretBytes key) {
        this.sealKey = key;
    }

    /** Epoch → KEK, ascending; the live map (callers hold the token's lock). */
    TreeMap<Long, SecretBytes> epochKeks() {
        return epochKeks;
    }

    static SoftwareVault load(Path file, char[] passphrase) throws TokenFailureException {
        if (!Files.isRegularFile(file)) {
            throw new TokenNotProvisionedException("the development vault " + file.getFileName() + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("BCFKS", BC);
            store.load(in, passphrase);
            SecretBytes identity = scalarOf(store.getKey(IDENTITY, passphrase));
            SecretBytes transport = scalarOf(store.getKey(TRANSPORT, passphrase));
            Map<Long, SecretBytes> keks = new TreeMap<>();
            for (String alias : Collections.list(store.aliases())) {
                Matcher m = EPOCH_ALIAS.matcher(alias);
                if (m.matches()) {
                    byte[] raw = store.getKey(alias, passphrase).getEncoded();
                    keks.put(Long.parseLong(m.group(1)), SecretBytes.moveFrom(raw));
                }
            }
            if (identity == null || transport == null || keks.isEmpty()) {
                throw new TokenNotProvisionedException("the development vault " + file.getFileName()
                        + " lacks its identity key, transport key or epoch KEK");
            }
            SecretBytes seal = store.containsAlias(SEAL)
                    ? SecretBytes.moveFrom(store.getKey(SEAL, passphrase).getEncoded()) : null;
            return new SoftwareVault(identity, transport, keks, seal);
        } catch (IOException | GeneralSecurityException e) {
            // BCFKS reports a wrong passphrase as an IOException: say so without echoing anything
            throw new TokenFailureException("cannot open the development vault " + file.getFileName()
                    + " (wrong passphrase or damaged file)");
        }
    }

    void store(Path file, char[] passphrase) throws TokenFailureException {
        try {
            KeyStore store = KeyStore.getInstance("BCFKS", BC);
            store.load(null, passphrase);
            putKeyPair(store, IDENTITY, identityKey, passphrase);
            putKeyPair(store, TRANSPORT, transportKey, passphrase);
            if (sealKey != null) {
                putSecretKey(store, SEAL, sealKey, passphrase);
            }
            for (Map.Entry<Long, SecretBytes> e : epochKeks.entrySet()) {
                byte[] raw = e.getValue().toByteArray(SecretAccess.plaintext());
                try {
                    store.setKeyEntry(EPOCH_PREFIX + e.getKey(), new SecretKeySpec(raw, "AES"), passphrase, null);
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, passphrase);
            writeAtomically(file, out.toByteArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new TokenFailureException("cannot write the development vault " + file.getFileName(), e);
        }
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        // private from creation (0700 directories, 0600 file), as every file of a member's state
        Files.createDirectories(directory, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0]);
        Path temporary = directory.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0])) {
            channel.write(java.nio.ByteBuffer.wrap(content));
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some platforms cannot open a directory for fsync; the rename is still atomic
        }
    }

    private static void putSecretKey(KeyStore store, String alias, SecretBytes key, char[] passphrase)
            throws GeneralSecurityException {
        byte[] raw = key.toByteArray(SecretAccess.plaintext());
        try {
            store.setKeyEntry(alias, new SecretKeySpec(raw, "AES"), passphrase, null);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static void putKeyPair(KeyStore store, String alias, SecretBytes scalar, char[] passphrase)
            throws GeneralSecurityException {
        ECParameterSpec params = p256Parameters();
        byte[] raw = scalar.toByteArray(SecretAccess.plaintext());
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, raw), params));
            byte[] point = P256.publicKeyOf(scalar);
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                    new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
            KeyPair pair = new KeyPair(factory.generatePublic(new ECPublicKeySpec(w, params)), privateKey);
            store.setKeyEntry(alias, privateKey, passphrase,
                    new Certificate[] {SelfSignedCertificate.of(pair, "keyescrow " + alias)});
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static SecretBytes scalarOf(java.security.Key key) {
        if (!(key instanceof ECPrivateKey ec)) {
            return null;
        }
        return SecretBytes.moveFrom(BigIntegers.asUnsignedByteArray(32, ec.getS()));
    }

    private static ECParameterSpec p256Parameters() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK lacks P-256", e);
        }
    }

    void destroy() {
        identityKey.destroy();
        transportKey.destroy();
        epochKeks.values().forEach(SecretBytes::destroy);
        if (sealKey != null) {
            sealKey.destroy();
        }
    }
}
