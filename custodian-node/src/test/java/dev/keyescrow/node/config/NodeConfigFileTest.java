package dev.keyescrow.node.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.node.approval.RequestTimeLimits;
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

/** The node's file form: what is written is what is read, and files written before it still load. */
class NodeConfigFileTest {
    @TempDir
    Path dir;

    private final byte[] coordinatorKey = SoftwareP256Signer.generate(new SecureRandom()).publicKey();
    private final String coordinatorKeyText = Base64.getEncoder().encodeToString(coordinatorKey);

    @Test
    void aDevelopmentFile_writtenThenRead_isTheSameFile_andLoads() throws Exception {
        NodeConfigFile written = NodeConfigFile.development("node-1", coordinatorKeyText,
                new NodeConfigFile.Http("127.0.0.1", 8443, null),
                new ClusterForm("escrow-dev", "127.0.0.1", 5701, List.of("127.0.0.1:5701", "127.0.0.1:5702")),
                TokenForm.software("vault.bcfks", "vault.pass"));
        Path file = dir.resolve("node.json");
        written.write(file);
        assertEquals(written, NodeConfigFile.read(file));
        NodeConfig config = NodeConfig.load(file);
        assertEquals("node-1", config.nodeId());
        assertTrue(config.dev());
        assertArrayEquals(coordinatorKey, config.coordinatorPublicKey());
        assertEquals(dir.resolve("vault.bcfks").toAbsolutePath(), ((TokenSettings.Software) config.token()).vault());
        assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), config.cluster().members());
    }

    @Test
    void aProductionFile_writtenThenRead_isTheSameFile_withEveryOptionalSetting() throws Exception {
        NodeConfigFile written = new NodeConfigFile("node-2", false, "/var/lib/keyescrow/state", coordinatorKeyText,
                new NodeConfigFile.Http("10.0.0.5", 8443, new TlsForm("node.crt", "node.key")),
                new ClusterForm("escrow", "10.0.1.5", 5701, null),
                new TokenForm("pkcs11", null, null, null, "/usr/lib/softhsm/libsofthsm2.so", "node-2", null,
                        "NODE_PIN", "0x210B"),
                new NodeConfigFile.Requests(5L, 3600L));
        Path file = dir.resolve("node.json");
        written.write(file);
        assertEquals(written, NodeConfigFile.read(file));
        NodeConfig config = NodeConfig.load(file);
        assertEquals(dir.resolve("node.crt").toAbsolutePath(), config.tlsCertificate());
        assertEquals(new RequestTimeLimits(Duration.ofSeconds(5), Duration.ofHours(1)), config.requestTimes());
    }

    /** The bytes the development cluster wrote before the typed form (Jackson's pretty printer, every field). */
    @Test
    void aFileAsEarlierReleasesWroteIt_stillLoads() throws Exception {
        String earlier = """
                {
                  "nodeId" : "node-3",
                  "dev" : true,
                  "stateDirectory" : "state",
                  "coordinatorPublicKey" : "%s",
                  "http" : {
                    "host" : "127.0.0.1",
                    "port" : 40123
                  },
                  "cluster" : {
                    "name" : "escrow-dev-0a1b2c3d4e5f",
                    "bind" : "127.0.0.1",
                    "port" : 40124,
                    "members" : [ "127.0.0.1:40120", "127.0.0.1:40124" ]
                  },
                  "token" : {
                    "kind" : "pkcs11",
                    "library" : "/usr/lib/softhsm/libsofthsm2.so",
                    "label" : "node-3",
                    "pinFile" : "pin"
                  }
                }""".formatted(coordinatorKeyText);
        Path file = dir.resolve("node.json");
        Files.writeString(file, earlier);
        NodeConfig config = NodeConfig.load(file);
        assertEquals(40123, config.httpPort());
        assertEquals("node-3", ((TokenSettings.Pkcs11) config.token()).label());
        NodeConfigFile form = NodeConfigFile.read(file);
        Path again = dir.resolve("again.json");
        form.write(again);
        assertEquals(earlier, Files.readString(again), "the typed form writes the same file back");
    }

    @Test
    void aFormTheNodeWouldRefuse_cannotBeWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NodeConfigFile("node-1",
                false, "state", coordinatorKeyText, new NodeConfigFile.Http("h", 1, null),
                new ClusterForm("e", "h", 2, null), TokenForm.pkcs11("/lib.so", "node-1", "pin"), null));
        assertTrue(e.getMessage().startsWith("http.tls is required"), e.getMessage());
        assertEquals("token.pin: give exactly one of token.pinFile or token.pinEnv", assertThrows(
                IllegalArgumentException.class, () -> TokenForm.pkcs11("/lib.so", "node-1", null)).getMessage());
    }
}
