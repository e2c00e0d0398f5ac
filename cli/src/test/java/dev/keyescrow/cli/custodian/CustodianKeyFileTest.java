package dev.keyescrow.cli.custodian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custodian key files: the KDF they are written with, the passphrase they need, and old files still opening. */
class CustodianKeyFileTest {
    private static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void aNewFile_isPbes2WithPbkdf2HmacSha256_600000Iterations_andAes256Cbc() throws Exception {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        Path file = dir.resolve("custodian.key");
        CustodianKeyFile.write(file, SecretBytes.moveFrom(seed.clone()), PASSPHRASE, RANDOM);

        EncryptedPrivateKeyInfo info;
        try (PemReader reader = new PemReader(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            var pem = reader.readPemObject();
            assertEquals("ENCRYPTED PRIVATE KEY", pem.getType());
            info = EncryptedPrivateKeyInfo.getInstance(pem.getContent());
        }
        assertEquals(PKCSObjectIdentifiers.id_PBES2, info.getEncryptionAlgorithm().getAlgorithm());
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        assertEquals(PKCSObjectIdentifiers.id_PBKDF2, pbes2.getKeyDerivationFunc().getAlgorithm());
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, kdf.getPrf().getAlgorithm());
        assertTrue(kdf.getIterationCount().intValueExact() >= 600_000, kdf.getIterationCount().toString());
        assertEquals(NISTObjectIdentifiers.id_aes256_CBC, pbes2.getEncryptionScheme().getAlgorithm());

        // opened independently with the JDK alone, as WebCrypto would: PBKDF2-SHA256, then AES-CBC
        SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] kek = pbkdf2.generateSecret(new PBEKeySpec(PASSPHRASE, kdf.getSalt(),
                kdf.getIterationCount().intValueExact(), 256)).getEncoded();
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new IvParameterSpec(
                ASN1OctetString.getInstance(pbes2.getEncryptionScheme().getParameters()).getOctets()));
        PrivateKeyInfo plain = PrivateKeyInfo.getInstance(aes.doFinal(info.getEncryptedData()));
        byte[] opened = ASN1OctetString.getInstance(plain.parsePrivateKey()).getOctets();
        assertArrayEquals(seed, opened);

        try (SecretBytes read = CustodianKeyFile.read(file, PASSPHRASE)) {
            assertArrayEquals(seed, read.toByteArray(SecretAccess.plaintext()));
        }
    }

    @Test
    void aShortOrEmptyPassphrase_isRefusedWithAClearMessage_andNothingIsWritten() {
        for (String weak : new String[] {"", "x", "eleven char"}) {
            Path file = dir.resolve("weak-" + weak.length() + ".key");
            CustodianKeyFile.KeyFileException e = assertThrows(CustodianKeyFile.KeyFileException.class,
                    () -> CustodianKeyFile.write(file, SecretBytes.moveFrom(new byte[32]), weak.toCharArray(), RANDOM));
            assertTrue(e.getMessage().contains("at least 12"), e.getMessage());
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void aFileOfTheEarlierFormat_hmacSha1_2048Iterations_stillOpens() throws Exception {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PKCS8Generator(PrivateKeyInfoFactory.createPrivateKeyInfo(
                    new Ed25519PrivateKeyParameters(seed, 0)), new JceOpenSSLPKCS8EncryptorBuilder(
                            PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider
                            .BouncyCastleProvider()).setRandom(RANDOM).setPassword("short".toCharArray()).build()));
        }
        Path file = dir.resolve("old.key");
        Files.writeString(file, pem.toString());
        try (SecretBytes read = CustodianKeyFile.read(file, "short".toCharArray())) {
            assertArrayEquals(seed, read.toByteArray(SecretAccess.plaintext()));
        }
    }
}
