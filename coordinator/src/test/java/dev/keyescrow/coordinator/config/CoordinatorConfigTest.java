package dev.keyescrow.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.setup.TokenSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file is read strictly; every refusal names the setting. */
class CoordinatorConfigTest {
    @TempDir
    Path dir;

    private final byte[] identity = SoftwareP256Signer.generate(new SecureRandom()).publicKey();
    private final byte[] transport = SoftwareP256Signer.generate(new SecureRandom()).publicKey();

    private JsonObject valid() {
        return new JsonObject().put("id", "coordinator").put("dev", true).put("stateDirectory", "state")
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("cluster", new JsonObject().put("name", "escrow").put("bind", "127.0.0.1").put("port", 5701)
                        .put("members", new JsonArray().add("127.0.0.1:5701")))
                .put("operators", new JsonArray().add(new JsonObject().put("id", "alice")
                        .put("tokenSha256", Operators.hashOf("secret"))))
                .put("nodes", new JsonArray().add(new JsonObject().put("id", "node-1").put("url", "http://n1")
                        .put("identityPublicKey", Base64.getEncoder().encodeToString(identity))
                        .put("transportPublicKey", Base64.getEncoder().encodeToString(transport))))
                .put("token", new JsonObject().put("kind", "software").put("vault", "coordinator.vault")
                        .put("passphraseEnv", "COORDINATOR_PASSPHRASE"));
    }

    private Path write(JsonObject json) throws Exception {
        Path file = dir.resolve("coordinator.json");
        Files.writeString(file, json.encodePrettily());
        return file;
    }

    @Test
    void aValidFile_isRead_withPathsRelativeToIt() throws Exception {
        CoordinatorConfig config = CoordinatorConfig.load(write(valid()));
        assertEquals("coordinator", config.id());
        assertEquals(dir.resolve("state").toAbsolutePath(), config.stateDirectory());
        assertNull(config.tlsCertificate());
        assertEquals(EcdsaP256.fingerprint(identity), config.nodes().get(0).identityFingerprint());
        assertTrue(config.token() instanceof TokenSettings.Software);
        assertEquals(CoordinatorConfig.DEFAULT_CEREMONY_TIMEOUT, config.ceremonyTimeout());
    }

    @Test
    void tlsIsRequired_outsideDevelopmentMode() throws Exception {
        JsonObject json = valid().put("dev", false);
        json.getJsonObject("token").put("kind", "pkcs11").put("library", "/usr/lib/softhsm/libsofthsm2.so")
                .put("label", "coordinator").put("pinEnv", "PIN").remove("vault");
        json.getJsonObject("token").remove("passphraseEnv");
        CoordinatorConfigException e = assertThrows(CoordinatorConfigException.class, () -> CoordinatorConfig.load(write(json)));
        assertTrue(e.getMessage().contains("http.tls is required"), e.getMessage());
    }

    @Test
    void theSoftwareToken_isRefusedOutsideDevelopmentMode() throws Exception {
        JsonObject json = valid().put("dev", false);
        json.getJsonObject("http").put("tls", new JsonObject().put("certificate", "c.pem").put("privateKey", "k.pem"));
        CoordinatorConfigException e = assertThrows(CoordinatorConfigException.class, () -> CoordinatorConfig.load(write(json)));
        assertTrue(e.getMessage().contains("only with \"dev\": true"), e.getMessage());
    }

    @Test
    void unknownSettingsAndBadKeys_areNamed() throws Exception {
        CoordinatorConfigException unknown = assertThrows(CoordinatorConfigException.class,
                () -> CoordinatorConfig.load(write(valid().put("debug", true))));
        assertTrue(unknown.getMessage().contains("\"debug\""), unknown.getMessage());
        JsonObject badKey = valid();
        badKey.getJsonArray("nodes").getJsonObject(0).put("transportPublicKey",
                Base64.getEncoder().encodeToString(new byte[65]));
        CoordinatorConfigException e = assertThrows(CoordinatorConfigException.class, () -> CoordinatorConfig.load(write(badKey)));
        assertTrue(e.getMessage().contains("node-1: transportPublicKey"), e.getMessage());
        JsonObject sameKeys = valid();
        sameKeys.getJsonArray("nodes").getJsonObject(0).put("transportPublicKey",
                Base64.getEncoder().encodeToString(identity));
        assertThrows(CoordinatorConfigException.class, () -> CoordinatorConfig.load(write(sameKeys)));
    }
}
