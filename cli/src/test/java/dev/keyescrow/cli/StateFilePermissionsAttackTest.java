package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding: a reader of the members' files — another local user, a backup job, a shared
 * volume — got sealed ephemeral keys, journals with every release envelope, refusal logs and
 * node blobs, because everything was created 0644 in 0755 directories and nothing checked a
 * PIN file. The attack reads the files; the rule is that nobody but the service user can.
 *
 * <p>First a whole local cluster ({@code escrow cluster start}, SoftHSM2 tokens where
 * installed) runs a USE to its end, with refusals logged at the coordinator and a node, and
 * custodian and recipient keys made by the real commands; every directory and file under the
 * cluster directory must then be private (no group or other bit). Then {@code node start} and
 * {@code coordinator start} are given one file that others can read at a time: each must
 * refuse, name the file and the {@code chmod} that fixes it, exit non-zero and change nothing.
 */
class StateFilePermissionsAttackTest {
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result escrow(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nothingAClusterWritesIsReadableByAnotherUser() throws Exception {
        Path clusterDir = dir.resolve("cluster");
        Path desk = dir.resolve("desk");
        Files.createDirectory(desk, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path passphrase = desk.resolve("custodian.pass");
        Files.createFile(passphrase, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passphrase, "custodian passphrase\n");
        Result start = escrow("cluster", "start", "--dir", clusterDir.toString(), "--nodes", "2");
        try {
            assertEquals(0, start.exit(), start.out() + start.err());
            JsonObject cluster = new JsonObject(Files.readString(clusterDir.resolve("cluster.json")));
            CoordinatorClient coordinator = new CoordinatorClient(cluster.getString("coordinator"),
                    Files.readString(Path.of(cluster.getString("operatorTokenFile"))).trim());
            JsonArray nodes = cluster.getJsonArray("nodes");
            for (int i = 1; i <= 2; i++) {
                Result keygen = escrow("custodian", "keygen", "--id", "custodian-" + i, "--out",
                        desk.resolve("custodian-" + i + ".pem").toString(), "--passphrase-file", passphrase.toString());
                assertEquals(0, keygen.exit(), keygen.err());
                assertEquals(0, escrow("custodians", "add", "--cluster", clusterDir.toString(), "--id", "custodian-" + i,
                        "--public-key", keygen.out().trim(), "--node", "node-" + i).exit());
            }
            assertEquals(0, escrow("export", "keygen", "--out", desk.resolve("recipient.pem").toString(),
                    "--passphrase-file", passphrase.toString()).exit());
            Result created = escrow("key", "create", "--cluster", clusterDir.toString(), "--name", "files-key",
                    "--algorithm", "AES-256", "--threshold", "2", "--custodians", "custodian-1,custodian-2", "--json");
            assertEquals(0, created.exit(), created.err());
            String coordinatorKey = new NodeClient(nodes.getJsonObject(0).getString("url")).node()
                    .getString("coordinatorPublicKey");
            for (int i = 1; i <= 2; i++) {
                assertEquals(0, escrow("countersign", "files-key", "--version", "1", "--as", "custodian-" + i, "--key",
                        desk.resolve("custodian-" + i + ".pem").toString(), "--coordinator",
                        cluster.getString("coordinator"), "--coordinator-key", coordinatorKey, "--yes",
                        "--passphrase-file", passphrase.toString()).exit());
            }
            Result use = escrow("request", "use", "files-key", "--cluster", clusterDir.toString(), "--reason",
                    "file permissions", "--json");
            assertEquals(0, use.exit(), use.err());
            String requestId = new JsonObject(use.out()).getString("requestId");
            for (int i = 1; i <= 2; i++) {
                String nodeUrl = nodes.getJsonObject(i - 1).getString("url");
                awaitReview(new NodeClient(nodeUrl), requestId);
                String[] approve = {"approve", requestId, "--as", "custodian-" + i, "--key",
                    desk.resolve("custodian-" + i + ".pem").toString(), "--node", nodeUrl, "--yes",
                    "--passphrase-file", passphrase.toString()};
                assertEquals(0, escrow(approve).exit());
                assertEquals(2, escrow(approve).exit(), "a replayed answer is refused (and logged at the node)");
            }
            JsonObject view = coordinator.request(requestId);
            for (int i = 0; i < 600 && !"ACTIVE".equals(view.getString("state")); i++) {
                Thread.sleep(100);
                view = coordinator.request(requestId);
            }
            assertEquals("ACTIVE", view.getString("state"), view.encodePrettily());
            assertEquals(401, assertThrows(ApiException.class, () -> new CoordinatorClient(
                    cluster.getString("coordinator"), "wrong").registerCustodian("intruder", "AAAA", "node-1")).status(), "a refusal the coordinator logs");
        } finally {
            escrow("cluster", "stop", "--dir", clusterDir.toString());
        }
        assertTrue(Files.exists(clusterDir.resolve("coordinator").resolve("state").resolve("refusals.log")));
        assertTrue(Files.exists(clusterDir.resolve("node-1").resolve("state").resolve("refusals.log")));

        Map<String, String> readableByOthers = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                if (mode.stream().anyMatch(OTHERS::contains)) {
                    readableByOthers.put(dir.relativize(p).toString(), PosixFilePermissions.toString(mode));
                }
            }
        }
        assertEquals(Map.of(), readableByOthers, "files and directories that another user can open");
    }

    private static void awaitReview(NodeClient node, String requestId) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                node.request(requestId);
                return;
            } catch (ApiException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the node never received " + requestId);
    }

    /** One file at a time that others can open: config, state directory, passphrase, TLS key. */
    @Test
    void aNodeRefusesToStartOnFilesOthersCanOpen() throws Exception {
        for (String exposed : List.of("config", "state", "passphrase", "tls")) {
            Path member = Files.createDirectory(dir.resolve("node-" + exposed));
            Path config = writeMember(member, exposed, new JsonObject().put("nodeId", "node-1").put("dev", true)
                    .put("coordinatorPublicKey", java.util.Base64.getEncoder().encodeToString(
                            SoftwareP256Signer.generate(new SecureRandom()).publicKey())), "node.json");
            refused(exposed, member, config, "node");
        }
    }

    @Test
    void aCoordinatorRefusesToStartOnFilesOthersCanOpen() throws Exception {
        for (String exposed : List.of("config", "state", "passphrase", "tls")) {
            Path member = Files.createDirectory(dir.resolve("coordinator-" + exposed));
            Path config = writeMember(member, exposed, new JsonObject().put("id", "coordinator").put("dev", true)
                    .put("operators", new JsonArray()).put("nodes", new JsonArray()), "coordinator.json");
            refused(exposed, member, config, "coordinator");
        }
    }

    private static void refused(String exposed, Path member, Path config, String kind) throws IOException {
        Path target = switch (exposed) {
            case "config" -> config;
            case "state" -> member.resolve("state");
            case "passphrase" -> member.resolve("vault.pass");
            default -> member.resolve("tls.key");
        };
        String fix = (Files.isDirectory(target) ? "chmod 700 '" : "chmod 600 '") + target.toAbsolutePath() + "'";
        Map<String, String> before = snapshot(member);
        Result r = escrow(kind, "start", "--config", config.toString());
        assertNotEquals(0, r.exit(), exposed + ": " + r.err());
        assertTrue(r.err().contains(fix), exposed + ": the refusal names the file and the fix '" + fix + "': "
                + r.err());
        assertEquals(before, snapshot(member), exposed + ": a refused start changes nothing");
    }

    /**
     * A member directory whose files are all private except {@code exposed}, which others can
     * read. The vault is not provisioned, so a start that reads past the refusal fails later anyway.
     */
    private static Path writeMember(Path member, String exposed, JsonObject config, String name) throws IOException {
        int port = 17000 + new SecureRandom().nextInt(3000);
        config.put("stateDirectory", "state")
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0)
                        .put("tls", new JsonObject().put("certificate", "tls.crt").put("privateKey", "tls.key")))
                .put("cluster", new JsonObject().put("name", "perm-" + port).put("bind", "127.0.0.1").put("port", port)
                        .put("members", new JsonArray().add("127.0.0.1:" + port)))
                .put("token", new JsonObject().put("kind", "software").put("vault", "vault.bcfks")
                        .put("passphraseFile", "vault.pass"));
        Path file = member.resolve(name);
        write(file, config.encodePrettily(), exposed.equals("config"));
        write(member.resolve("vault.pass"), "a passphrase\n", exposed.equals("passphrase"));
        write(member.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
                exposed.equals("tls"));
        write(member.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", true);
        Files.createDirectory(member.resolve("state"));
        Files.setPosixFilePermissions(member.resolve("state"), PosixFilePermissions.fromString(
                exposed.equals("state") ? "rwxr-xr-x" : "rwx------"));
        return file;
    }

    private static void write(Path file, String content, boolean readableByOthers) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(readableByOthers ? "rw-r--r--"
                : "rw-------"));
    }

    /** Every path under {@code root} with its mode, size and modification time. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.forEach(paths::add);
        }
        for (Path p : paths) {
            out.put(root.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                    + " " + (Files.isDirectory(p) ? "-" : Files.size(p)) + " " + Files.getLastModifiedTime(p));
        }
        return out;
    }
}
