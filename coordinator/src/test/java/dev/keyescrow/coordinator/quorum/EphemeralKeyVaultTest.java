package dev.keyescrow.coordinator.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.P256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request's ephemeral key, sealed for the journal, opens only in the coordinator's token, only for its request. */
class EphemeralKeyVaultTest {
    @TempDir
    Path dir;

    private Token token(String name) throws Exception {
        Path passphrase = dir.resolve(name + ".pass");
        Files.writeString(passphrase, "passphrase-" + name);
        return SoftwareToken.provision(DevelopmentMode.explicitlyEnabled(), dir.resolve(name + ".vault"),
                PinSource.fromFile(passphrase), "coordinator", new SecureRandom());
    }

    @Test
    void sealedKey_unsealsToTheSameKey_inItsTokenOnly() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] digest = HexFormat.of().parseHex("11".repeat(32));
        try (Token token = token("own"); Token other = token("other");
             SecretBytes scalar = P256.generatePrivateKey(random)) {
            byte[] publicKey = P256.publicKeyOf(scalar);
            byte[] envelope = new EphemeralKeyVault(token, random).seal("req-1", scalar);
            try (EphemeralKey restored = new EphemeralKeyVault(token, random).unseal("req-1", digest, envelope)) {
                assertArrayEquals(publicKey, restored.publicKey());
            }
            assertThrows(CorruptBlobException.class,
                    () -> new EphemeralKeyVault(token, random).unseal("req-2", digest, envelope));
            assertThrows(CorruptBlobException.class,
                    () -> new EphemeralKeyVault(other, random).unseal("req-1", digest, envelope));
        }
    }
}
