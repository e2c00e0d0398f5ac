package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custodian key files open with OpenSSL, and {@code escrow custodian rewrap} brings a file of an
 * earlier version (HMAC-SHA1, 2,048 iterations, Bouncy Castle's form with the public key) to
 * today's form without changing the key.
 */
class CustodianRewrapCommandTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void keygenFiles_openWithOpenSsl_toThePublicKeyKeygenPrinted() throws Exception {
        Files.writeString(dir.resolve("pass"), "a passphrase of words\n");
        Result keygen = escrow("custodian", "keygen", "--id", "alice", "--out", dir.resolve("alice.key").toString(),
                "--passphrase-file", dir.resolve("pass").toString());
        assertEquals(0, keygen.exit, keygen.err);
        assertArrayEquals(Base64.getDecoder().decode(keygen.out.strip()),
                openSslPublicKey(dir.resolve("alice.key"), dir.resolve("pass")));
    }

    @Test
    void anOldFile_isRewrappedToTodaysForm_withTheSameKey_andOpensWithOpenSsl() throws Exception {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        Path old = dir.resolve("old.key");
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PKCS8Generator(PrivateKeyInfoFactory.createPrivateKeyInfo(
                    new Ed25519PrivateKeyParameters(seed, 0)), new JceOpenSSLPKCS8EncryptorBuilder(
                            PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider
                            .BouncyCastleProvider()).setRandom(RANDOM).setPassword("short".toCharArray()).build()));
        }
        Files.writeString(old, pem.toString());
        Files.writeString(dir.resolve("old-pass"), "short");
        Files.writeString(dir.resolve("new-pass"), "a longer passphrase now");
        Path fresh = dir.resolve("new.key");

        // the old passphrase is too short for a new file: refused, nothing written
        Result kept = escrow("custodian", "rewrap", "--in", old.toString(), "--out", fresh.toString(),
                "--passphrase-file", dir.resolve("old-pass").toString());
        assertEquals(2, kept.exit);
        assertTrue(kept.err.contains("at least 12"), kept.err);
        assertFalse(Files.exists(fresh));

        Result wrong = escrow("custodian", "rewrap", "--in", old.toString(), "--out", fresh.toString(),
                "--passphrase-file", dir.resolve("new-pass").toString(),
                "--new-passphrase-file", dir.resolve("new-pass").toString());
        assertEquals(2, wrong.exit);
        assertTrue(wrong.err.contains("wrong passphrase"), wrong.err);
        assertFalse(Files.exists(fresh));

        Result done = escrow("custodian", "rewrap", "--in", old.toString(), "--out", fresh.toString(),
                "--passphrase-file", dir.resolve("old-pass").toString(),
                "--new-passphrase-file", dir.resolve("new-pass").toString());
        assertEquals(0, done.exit, done.err);
        assertTrue(done.err.contains("600000 iterations"), done.err);
        try (SecretBytes read = CustodianKeyFile.read(fresh, "a longer passphrase now".toCharArray())) {
            assertArrayEquals(seed, read.toByteArray(SecretAccess.plaintext()));
        }
        byte[] publicKey = Base64.getDecoder().decode(done.out.strip());
        assertArrayEquals(publicKey, openSslPublicKey(fresh, dir.resolve("new-pass")));

        Result again = escrow("custodian", "rewrap", "--in", old.toString(), "--out", fresh.toString(),
                "--passphrase-file", dir.resolve("old-pass").toString(),
                "--new-passphrase-file", dir.resolve("new-pass").toString());
        assertEquals(2, again.exit, "never over an existing file");
        assertTrue(again.err.contains("exists"), again.err);
        assertTrue(again.err.startsWith("escrow custodian rewrap: "), "errors name the whole command: " + again.err);
    }

    /** The raw Ed25519 public key OpenSSL derives from the file (the last 32 bytes of its DER SubjectPublicKeyInfo). */
    private static byte[] openSslPublicKey(Path keyFile, Path passFile) throws Exception {
        Process p = new ProcessBuilder("openssl", "pkey", "-in", keyFile.toString(), "-passin",
                "file:" + passFile, "-pubout", "-outform", "DER").redirectErrorStream(false).start();
        byte[] der = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "openssl refused the file: " + err);
        assertEquals(44, der.length, "an Ed25519 SubjectPublicKeyInfo");
        return Arrays.copyOfRange(der, 12, 44);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result escrow(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
