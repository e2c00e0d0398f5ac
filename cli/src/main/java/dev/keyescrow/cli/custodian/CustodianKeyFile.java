package dev.keyescrow.cli.custodian;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A custodian's Ed25519 key at rest: encrypted PKCS#8 in PEM (PBES2 with PBKDF2 and
 * AES-256-CBC) around the seed alone, the form OpenSSL reads ({@code openssl pkey -in FILE}), written with mode
 * 0600. The private key exists in plaintext only in memory, while signing.
 */
public final class CustodianKeyFile {
    /** Bouncy Castle as a local provider (not installed globally): the JDK lacks some PBES2 parameter names. */
    private static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    /** OWASP's figure for PBKDF2-HMAC-SHA256 (2023); files of older versions (HMAC-SHA1, 2,048) still open. */
    public static final int PBKDF2_ITERATIONS = 600_000;
    /** A passphrase shorter than this is refused when a key file is written. */
    public static final int MIN_PASSPHRASE_LENGTH = 12;
    private CustodianKeyFile() {
    }

    /** Thrown for a file that is not an encrypted Ed25519 key, or a wrong passphrase. */
    public static final class KeyFileException extends Exception {
        KeyFileException(String message) {
            super(message);
        }
    }

    public static void write(Path file, SecretBytes seed, char[] passphrase, SecureRandom random)
            throws IOException, KeyFileException {
        byte[] raw = seed.toByteArray(SecretAccess.plaintext());
        try {
            // version 0, the seed alone (RFC 8410 section 7): the form OpenSSL 3 and Python's cryptography open;
            // Bouncy Castle's factory would add the public key as version 1, which both refuse
            writeInfo(file, new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DEROctetString(raw)), passphrase, random);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Writes any private key, encrypted, as PKCS#8 PEM with mode 0600; never over an existing file. */
    public static void writeInfo(Path file, PrivateKeyInfo info, char[] passphrase, SecureRandom random)
            throws IOException, KeyFileException {
        if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
            throw new KeyFileException("the passphrase has " + passphrase.length + " characters; a key file needs at"
                    + " least " + MIN_PASSPHRASE_LENGTH + " (a few words are easier to remember than symbols)");
        }
        if (Files.exists(file)) {
            throw new KeyFileException(file + " exists; refusing to overwrite a key");
        }
        try {
            // PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, which OpenSSL and WebCrypto both open
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256).setIterationCount(PBKDF2_ITERATIONS)
                    .setProvider(PROVIDER).setRandom(random).setPassword(passphrase).build();
            StringWriter pem = new StringWriter();
            try (PemWriter writer = new PemWriter(pem)) {
                writer.writeObject(new PKCS8Generator(info, encryptor));
            }
            PrivateFiles.createFile(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (OperatorCreationException e) {
            throw new KeyFileException("cannot encrypt the key: " + e.getClass().getSimpleName());
        }
    }

    /** Decrypts the key; the caller destroys the returned seed after signing. */
    public static SecretBytes read(Path file, char[] passphrase) throws IOException, KeyFileException {
        AsymmetricKeyParameter key = readKey(file, passphrase);
        if (!(key instanceof Ed25519PrivateKeyParameters ed)) {
            throw new KeyFileException(file + " does not hold an Ed25519 key");
        }
        return SecretBytes.moveFrom(ed.getEncoded());
    }

    /** Decrypts any private key. */
    public static AsymmetricKeyParameter readKey(Path file, char[] passphrase) throws IOException, KeyFileException {
        Object parsed;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            parsed = parser.readObject();
        }
        if (!(parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
            throw new KeyFileException(file + " is not an encrypted PKCS#8 key");
        }
        try {
            PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(PROVIDER).build(passphrase));
            return PrivateKeyFactory.createKey(info);
        } catch (PKCSException | OperatorCreationException e) {
            throw new KeyFileException("cannot decrypt " + file.getFileName() + ": wrong passphrase or damaged file");
        }
    }
}
