package dev.keyescrow.coordinator.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.P256;
import dev.keyescrow.hsm.spec.ShareSender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request's ephemeral key, sealed for the sealed-key store, opens only in the coordinator's token, only for its request. */
class EphemeralKeyVaultTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private Token token(String name) throws Exception {
        Path passphrase = dir.resolve(name + ".pass");
        Files.writeString(passphrase, "passphrase-" + name);
        return SoftwareToken.provision(DevelopmentMode.explicitlyEnabled(), dir.resolve(name + ".vault"),
                PinSource.fromFile(passphrase), "coordinator", RANDOM);
    }

    @Test
    void sealedKey_unsealsToTheSameKey_inItsTokenOnly_forItsRequestOnly() throws Exception {
        byte[] digest = HexFormat.of().parseHex("11".repeat(32));
        try (Token token = token("own"); Token other = token("other");
             SecretBytes scalar = P256.generatePrivateKey(RANDOM)) {
            byte[] publicKey = P256.publicKeyOf(scalar);
            EphemeralKeyVault vault = new EphemeralKeyVault(token);
            byte[] sealed = vault.seal("req-1", digest, scalar);
            try (EphemeralKey restored = vault.unseal("req-1", digest, publicKey, sealed)) {
                assertArrayEquals(publicKey, restored.publicKey());
            }
            assertThrows(CorruptBlobException.class, () -> vault.unseal("req-2", digest, publicKey, sealed));
            assertThrows(CorruptBlobException.class,
                    () -> vault.unseal("req-1", HexFormat.of().parseHex("22".repeat(32)), publicKey, sealed));
            assertThrows(CorruptBlobException.class,
                    () -> new EphemeralKeyVault(other).unseal("req-1", digest, publicKey, sealed));
            byte[] anotherKey = P256.publicKeyOf(P256.generatePrivateKey(RANDOM));
            assertThrows(CorruptBlobException.class, () -> vault.unseal("req-1", digest, anotherKey, sealed),
                    "the sealed key must be the request's own ephemeral key");
        }
    }

    /** Keys sealed by an earlier version as import envelopes to the transport key are not opened any more. */
    @Test
    void keySealedAsAnImportEnvelope_isRefused() throws Exception {
        byte[] digest = HexFormat.of().parseHex("33".repeat(32));
        try (Token token = token("legacy"); SecretBytes scalar = P256.generatePrivateKey(RANDOM)) {
            byte[] legacy = ShareSender.wrapForImport(token.transportPublicKey(), new ShareRef("req-3", 1, 1, 32),
                    scalar, RANDOM);
            CorruptBlobException e = assertThrows(CorruptBlobException.class,
                    () -> new EphemeralKeyVault(token).unseal("req-3", digest, P256.publicKeyOf(scalar), legacy));
            assertTrue(e.getMessage().contains("issue the request again"), e.getMessage());
        }
    }
}
