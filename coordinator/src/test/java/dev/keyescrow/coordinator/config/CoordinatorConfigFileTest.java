package dev.keyescrow.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.server.config.ClusterForm;
import dev.keyescrow.server.config.TlsForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's file form: what is written is what is read, files written before it still
 * load, and the file is now read as strictly as the node's.
 */
class CoordinatorConfigFileTest {
    @TempDir
    Path dir;

    private final byte[] identity = SoftwareP256Signer.generate(new SecureRandom()).publicKey();
    private final byte[] transport = SoftwareP256Signer.generate(new SecureRandom()).publicKey();
    private final String operatorHash = Operators.hashOf("secret");

    private CoordinatorConfigFile.Node node(String id) {
        return new CoordinatorConfigFile.Node(id, "http://127.0.0.1:40001",
                Base64.getEncoder().encodeToString(identity), Base64.getEncoder().encodeToString(transport));
    }

    @Test
    void aDevelopmentFile_writtenThenRead_isTheSameFile_andLoads() throws Exception {
        CoordinatorConfigFile written = CoordinatorConfigFile.development("coordinator",
                CoordinatorConfigFile.Http.plain("127.0.0.1", 40000),
                new ClusterForm("escrow-dev", "127.0.0.1", 40002, List.of("127.0.0.1:40002")),
                new CoordinatorConfigFile.Operator("operator", operatorHash),
                TokenForm.software("vault.bcfks", "vault.pass")).withNode(node("node-1"));
        Path file = dir.resolve("coordinator.json");
        written.write(file);
        assertEquals(written, CoordinatorConfigFile.read(file));
        CoordinatorConfig config = CoordinatorConfig.load(file);
        assertEquals(EcdsaP256.fingerprint(transport), config.nodes().get(0).transportFingerprint());
        assertEquals(CoordinatorConfig.DEFAULT_BODY_LIMIT, config.bodyLimitBytes());
        assertEquals(CoordinatorConfig.DEFAULT_CEREMONY_TIMEOUT, config.ceremonyTimeout());
    }

    @Test
    void aProductionFile_writtenThenRead_isTheSameFile_withEveryOptionalSetting() throws Exception {
        CoordinatorConfigFile written = new CoordinatorConfigFile("coordinator", false, "state",
                new CoordinatorConfigFile.Http("10.0.0.4", 8443, 131072, new TlsForm("c.crt", "c.key")),
                new ClusterForm("escrow", "10.0.1.4", 5701, null),
                List.of(new CoordinatorConfigFile.Operator("alice", operatorHash)), List.of(node("node-1")),
                new TokenForm("pkcs11", null, null, null, "/usr/lib/softhsm/libsofthsm2.so", "coordinator", "pin.txt",
                        null, "0x210B"), 120);
        Path file = dir.resolve("coordinator.json");
        written.write(file);
        assertEquals(written, CoordinatorConfigFile.read(file));
        CoordinatorConfig config = CoordinatorConfig.load(file);
        assertEquals(131072, config.bodyLimitBytes());
        assertEquals(Duration.ofSeconds(120), config.ceremonyTimeout());
        assertEquals(dir.resolve("c.key").toAbsolutePath(), config.tlsPrivateKey());
    }

    /** The bytes the development cluster and {@code escrow node enrol} wrote before the typed form. */
    @Test
    void aFileAsEarlierReleasesWroteIt_stillLoads_andIsWrittenBackTheSame() throws Exception {
        String earlier = """
                {
                  "id" : "coordinator",
                  "dev" : true,
                  "stateDirectory" : "state",
                  "http" : {
                    "host" : "127.0.0.1",
                    "port" : 40000
                  },
                  "cluster" : {
                    "name" : "escrow-dev-0a1b2c3d4e5f",
                    "bind" : "127.0.0.1",
                    "port" : 40002,
                    "members" : [ "127.0.0.1:40002", "127.0.0.1:40003" ]
                  },
                  "operators" : [ {
                    "id" : "operator",
                    "tokenSha256" : "%s"
                  } ],
                  "nodes" : [ {
                    "id" : "node-1",
                    "url" : "http://127.0.0.1:40001",
                    "identityPublicKey" : "%s",
                    "transportPublicKey" : "%s"
                  } ],
                  "token" : {
                    "kind" : "software",
                    "vault" : "vault.bcfks",
                    "passphraseFile" : "vault.pass"
                  }
                }""".formatted(operatorHash, Base64.getEncoder().encodeToString(identity),
                Base64.getEncoder().encodeToString(transport));
        Path file = dir.resolve("coordinator.json");
        Files.writeString(file, earlier);
        CoordinatorConfig config = CoordinatorConfig.load(file);
        assertEquals("node-1", config.nodes().get(0).id());
        Path again = dir.resolve("again.json");
        CoordinatorConfigFile.read(file).write(again);
        assertEquals(earlier, Files.readString(again));
    }

    private String refusal(String json) throws Exception {
        Path file = dir.resolve("coordinator.json");
        Files.writeString(file, json);
        return assertThrows(CoordinatorConfigException.class, () -> CoordinatorConfig.load(file)).getMessage();
    }

    private String withSetting(String setting) throws Exception {
        Path file = dir.resolve("base.json");
        CoordinatorConfigFile.development("coordinator", CoordinatorConfigFile.Http.plain("127.0.0.1", 40000),
                new ClusterForm("escrow", "127.0.0.1", 40002, null),
                new CoordinatorConfigFile.Operator("operator", operatorHash),
                TokenForm.software("vault.bcfks", "vault.pass")).write(file);
        String text = Files.readString(file).strip();
        return text.substring(0, text.length() - 1) + ", " + setting + "}";
    }

    /** Earlier releases truncated a fraction (2.9 became 2) and took a number given as text. */
    @Test
    void numbersWithAFraction_textForNumbers_andUnknownSettings_areRefused_namingTheSetting() throws Exception {
        assertEquals("coordinator.json: ceremonyTimeoutSeconds must be an integer in [-2147483648, 2147483647]"
                + " (no fraction, no exponent)", refusal(withSetting("\"ceremonyTimeoutSeconds\": 2.9")));
        assertEquals("coordinator.json: ceremonyTimeoutSeconds must be an integer in [-2147483648, 2147483647]"
                + " (no fraction, no exponent)", refusal(withSetting("\"ceremonyTimeoutSeconds\": \"60\"")));
        assertEquals("coordinator.json: unknown setting \"threshold\"", refusal(withSetting("\"threshold\": 2")));
        assertEquals("ceremonyTimeoutSeconds must be in [1, 3600]",
                refusal(withSetting("\"ceremonyTimeoutSeconds\": 0")));
        String port = refusal(withSetting("\"http\": {\"host\": \"h\", \"port\": 8443.0}").replaceFirst(
                "\"http\" : \\{[^}]*},", ""));
        assertEquals("coordinator.json: http.port must be an integer in [-2147483648, 2147483647]"
                + " (no fraction, no exponent)", port);
        String nested = refusal(withSetting("\"http\": {\"host\": \"h\", \"port\": 1, \"bodyLimit\": 1}")
                .replaceFirst("\"http\" : \\{[^}]*},", ""));
        assertEquals("coordinator.json: unknown setting \"http.bodyLimit\"", nested);
    }
}
