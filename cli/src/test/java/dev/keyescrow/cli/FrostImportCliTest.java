package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.OfflineImportAndSessionTest.Run;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real development cluster (5 node processes and a coordinator): {@code escrow key import
 * --scheme FROST} splits an Ed25519 key 3-of-5 by RFC 9591's trusted dealer; the real nodes store
 * the scalar shares and the custodians countersign the manifest that pins the group key (the
 * original public key) and every verification share; a request that would rebuild the key is
 * refused; a bad scheme exits 2 before anything is sent.
 */
class FrostImportCliTest {
    private static final String SEED_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final byte[] PUBLIC_KEY = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final String CUSTODIANS = "custodian-1,custodian-2,custodian-3,custodian-4,custodian-5";

    @TempDir
    Path dir;

    private static Run escrow(byte[] stdin, String... args) {
        return OfflineImportAndSessionTest.escrow(stdin, args);
    }

    private static Run escrow(String... args) {
        return OfflineImportAndSessionTest.escrow(args);
    }

    @Test
    void importsAsFrostOnRealNodes_countersignedToActive_andRefusesUse() throws Exception {
        Run start = escrow("cluster", "start", "--dir", dir.toString(), "--nodes", "5");
        assertEquals(0, start.exit(), start.text() + start.err());
        try {
            JsonObject cluster = new JsonObject(Files.readString(dir.resolve("cluster.json")));
            CoordinatorClient coordinator = new CoordinatorClient(cluster.getString("coordinator"),
                    Files.readString(Path.of(cluster.getString("operatorTokenFile"))).trim());
            Path passphrase = CliCustodians.enrol(dir, 5);
            JsonArray nodes = cluster.getJsonArray("nodes");
            String kcv = dev.keyescrow.core.integrity.Kcv.ofPublicKey(PUBLIC_KEY).hex();
            byte[] seed = (SEED_HEX + "\n").getBytes(StandardCharsets.US_ASCII);

            Run notEd = escrow(("00".repeat(32) + "\n").getBytes(StandardCharsets.US_ASCII), "key", "import",
                    "--cluster", dir.toString(), "--name", "aes-frost", "--algorithm", "AES-256", "--threshold", "3",
                    "--custodians", CUSTODIANS, "--kcv", "dc95c0", "--scheme", "FROST");
            assertEquals(2, notEd.exit(), notEd.err());
            assertTrue(notEd.err().contains("FROST needs an ED25519 key"), notEd.err());
            Run badScheme = escrow(seed, "key", "import", "--cluster", dir.toString(), "--name", "x-key",
                    "--algorithm", "ED25519", "--threshold", "3", "--custodians", CUSTODIANS, "--kcv", kcv,
                    "--scheme", "BLS");
            assertEquals(2, badScheme.exit(), badScheme.err());
            assertEquals(0, coordinator.keys().size(), "nothing was sent");

            Run imported = escrow(seed, "key", "import", "--cluster", dir.toString(), "--name", "signing-key",
                    "--algorithm", "ED25519", "--threshold", "3", "--custodians", CUSTODIANS, "--kcv", kcv,
                    "--scheme", "FROST");
            assertEquals(0, imported.exit(), imported.err());
            assertTrue(imported.text().contains("scheme FROST (group public key "
                    + Base64.getEncoder().encodeToString(PUBLIC_KEY) + ")"), imported.text());

            Manifest manifest = Manifest.parse(coordinator.manifest("signing-key", 1).getString("canonical")
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(KeyScheme.FROST, manifest.scheme());
            assertArrayEquals(PUBLIC_KEY, manifest.frost().groupPublicKey());
            assertTrue(manifest.frost().isConsistentFor(3));
            String coordinatorKey = new NodeClient(nodes.getJsonObject(0).getString("url")).node()
                    .getString("coordinatorPublicKey");
            for (int i = 1; i <= 5; i++) {
                String id = "custodian-" + i;
                Run countersign = escrow("countersign", "signing-key", "--version", "1", "--as", id, "--key",
                        dir.resolve(id + ".pem").toString(), "--coordinator", cluster.getString("coordinator"),
                        "--coordinator-key", coordinatorKey, "--yes", "--passphrase-file", passphrase.toString());
                assertEquals(0, countersign.exit(), countersign.err());
                assertTrue(countersign.text().contains("scheme        FROST: signs by quorum, never rebuilt")
                        && countersign.text().contains("group key     "
                        + Base64.getEncoder().encodeToString(PUBLIC_KEY)), countersign.text());
            }
            assertEquals("ACTIVE", coordinator.key("signing-key").getJsonArray("versions").getJsonObject(0)
                    .getString("state"));

            Run use = escrow("request", "use", "signing-key", "--cluster", dir.toString(), "--reason", "must fail",
                    "--max-operations", "1", "--session-seconds", "60");
            assertTrue(use.exit() != 0, use.text());
            assertTrue(use.err().contains("FROST key, which is never rebuilt"), use.err());
        } finally {
            Run stop = escrow("cluster", "stop", "--dir", dir.toString());
            assertEquals(0, stop.exit(), stop.err());
        }
    }
}
