package dev.keyescrow.hsm.software;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenContract;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.hsm.VaultKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token contract on the development vault, plus what is specific to its file. */
class SoftwareTokenContractTest extends TokenContract {
    private static final DevelopmentMode DEV = DevelopmentMode.explicitlyEnabled();

    @TempDir
    Path directory;

    private Path vault() {
        return directory.resolve("vault.bcfks");
    }

    private PinSource passphrase() throws Exception {
        Path file = directory.resolve("passphrase");
        if (!Files.exists(file)) {
            Files.writeString(file, "correct horse battery staple\n", StandardCharsets.UTF_8);
        }
        return PinSource.fromFile(file);
    }

    @Override
    protected Token provisionToken() throws Exception {
        return SoftwareToken.provision(DEV, vault(), passphrase(), NODE, RANDOM);
    }

    @Override
    protected Token reopen(Token token) throws Exception {
        token.close();
        return SoftwareToken.open(DEV, vault(), passphrase(), NODE, RANDOM);
    }

    @Override
    protected Token reopenWithoutSealKey(Token token) throws Exception {
        token.close();
        char[] secret = passphrase().read();
        try {
            SoftwareVault current = SoftwareVault.load(vault(), secret);
            new SoftwareVault(current.identityKey(), current.transportKey(), current.epochKeks(), null)
                    .store(vault(), secret);
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
        return SoftwareToken.open(DEV, vault(), passphrase(), NODE, RANDOM);
    }

    @Override
    protected VaultKind expectedKind() {
        return VaultKind.SOFTWARE;
    }

    @Test
    void openWithWrongPassphrase_isTokenFailure() throws Exception {
        Path wrong = directory.resolve("wrong");
        Files.writeString(wrong, "wrong", StandardCharsets.UTF_8);
        assertThrows(TokenFailureException.class, () -> SoftwareToken.open(DEV, vault(), PinSource.fromFile(wrong), NODE,
                RANDOM));
    }

    @Test
    void openMissingVault_isNotProvisioned() throws Exception {
        assertThrows(TokenNotProvisionedException.class,
                () -> SoftwareToken.open(DEV, directory.resolve("none.bcfks"), passphrase(), NODE, RANDOM));
    }

    @Test
    void provisionOverExistingVault_isRefused() throws Exception {
        assertThrows(TokenFailureException.class, () -> SoftwareToken.provision(DEV, vault(), passphrase(), NODE, RANDOM));
    }
}
