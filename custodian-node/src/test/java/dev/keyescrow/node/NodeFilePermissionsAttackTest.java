package dev.keyescrow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.setup.Tokens;
import dev.keyescrow.node.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader of a node's files learns nothing: everything a running node writes (journal,
 * checkpoint, blob store, witness and refusal logs, its development vault) is private to its
 * user, and a node whose state directory, passphrase or vault file others can open refuses
 * to start, naming the file and the {@code chmod} that fixes it, before it opens anything.
 */
class NodeFilePermissionsAttackTest {
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @TempDir
    Path dir;

    private NodeConfig provisionedNode() throws Exception {
        Path passphrase = dir.resolve("vault.pass");
        Files.createFile(passphrase, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passphrase, "correct horse battery staple");
        Path file = dir.resolve("node.json");
        Files.writeString(file, NodeProcessTest.devConfig("node-7", Base64.getEncoder().encodeToString(
                SoftwareP256Signer.generate(new SecureRandom()).publicKey()), 17701 + new SecureRandom().nextInt(1000)));
        NodeConfig config = NodeConfig.load(file);
        Tokens.openOrProvision(config.token(), "node-7", new SecureRandom()).close();
        return config;
    }

    @Test
    void everythingARunningNodeWritesIsPrivate() throws Exception {
        NodeConfig config = provisionedNode();
        try (NodeProcess node = NodeProcess.start(config, Clock.systemUTC())) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + node.httpPort() + "/v1/requests/no-such-request")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(refused.statusCode() >= 400, "an unknown request is refused");
        }
        Path state = dir.resolve("state");
        assertTrue(Files.exists(state.resolve("journal")) && Files.exists(state.resolve("blobs"))
                && Files.exists(state.resolve("witness.log")), "the node wrote its state");
        Map<String, String> open = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                if (!p.getFileName().toString().equals("node.json") && mode.stream().anyMatch(OTHERS::contains)) {
                    open.put(dir.relativize(p).toString(), PosixFilePermissions.toString(mode));
                }
            }
        }
        assertEquals(Map.of(), open, "files and directories of the node that another user can open");
    }

    @Test
    void aNodeWhoseSecretsOthersCanOpenDoesNotStart() throws Exception {
        NodeConfig config = provisionedNode();
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        for (Path exposed : List.of(state, dir.resolve("vault.pass"), dir.resolve("vault.bcfks"))) {
            Set<PosixFilePermission> before = Files.getPosixFilePermissions(exposed);
            Set<PosixFilePermission> open = new java.util.HashSet<>(before);
            open.add(PosixFilePermission.GROUP_READ);
            Files.setPosixFilePermissions(exposed, open);
            Map<String, String> files = snapshot(dir);
            Exception e = assertThrows(Exception.class, () -> NodeProcess.start(config, Clock.systemUTC()).close(),
                    exposed.getFileName() + " can be read by the group: the node must not start");
            String fix = (Files.isDirectory(exposed) ? "chmod 700 '" : "chmod 600 '") + exposed.toAbsolutePath() + "'";
            assertTrue(String.valueOf(e.getMessage()).contains(fix), "the refusal names the fix: " + e);
            assertEquals(files, snapshot(dir), "a refused start changes nothing");
            Files.setPosixFilePermissions(exposed, before);
        }
        NodeProcess.start(config, Clock.systemUTC()).close();
    }

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
