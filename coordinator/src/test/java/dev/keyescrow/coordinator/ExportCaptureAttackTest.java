package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.coordinator.quorum.SealedKeyStore;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.export.ExportRelease;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import dev.keyescrow.core.sharing.SplitId;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.SealContext;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ExportReleaseOpener;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.Statements;
import dev.keyescrow.journal.blob.BlobId;
import dev.keyescrow.journal.blob.BlobStore;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator as the adversary (A2) during a real EXPORT: it holds its token, its state
 * files (the sealed ephemeral key of the request among them), every release the nodes
 * publish and every answer it gives. Before EXPORT went straight to the recipient, the
 * request's ephemeral key opened every release and the key was rebuilt in the coordinator.
 * What must hold now: with all of that, no release opens, and the exported key's bytes appear
 * nowhere the coordinator wrote or answered; the recipient's key alone recovers the key.
 */
class ExportCaptureAttackTest {
    @TempDir
    Path dir;

    @Test
    void everythingTheCoordinatorHoldsDuringAnExport_opensNoRelease() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3);
             EphemeralKey recipient = EphemeralKey.generate(new SecureRandom())) {
            cluster.registerCustodians();
            cluster.createActiveKey("export-key");
            Response issued = cluster.post("/v1/keys/export-key/requests", new JsonObject().put("operation", "EXPORT")
                    .put("reason", "lost-key recovery").put("params", new JsonObject().put("recipientPublicKey",
                            Base64.getEncoder().encodeToString(recipient.publicKey()))), TestCluster.ALICE);
            assertEquals(201, issued.status(), issued.body());
            String requestId = issued.json().getString("requestId");
            CanonicalRequest request = CanonicalRequest.parse(cluster.get("/v1/requests/" + requestId).json()
                    .getString("canonical").getBytes(StandardCharsets.UTF_8));
            byte[] digest = HexFormat.of().parseHex(request.digest());

            // the coordinator's own secret for this request: its sealed ephemeral key, opened by its own token
            EphemeralKey captured = null;
            for (byte[] sealed : sealedBlobsOnDisk(cluster.config.stateDirectory(), dir.resolve("stolen"))) {
                try (SecretBytes d = cluster.coordinatorToken.unseal(new SealContext(requestId, digest), sealed)) {
                    captured = EphemeralKey.fromPrivateKey(d);
                } catch (CorruptBlobException otherRequest) {
                    // another request's sealed key
                }
            }
            assertTrue(captured != null, "the attacker holds the request's ephemeral private key");
            assertArrayEquals(request.ephemeralPublicKey(), captured.publicKey());

            // everything the coordinator receives on the releases map, as it arrives (finished messages are pruned)
            List<ReleaseMessage> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            cluster.nodeMember.<String, byte[]>getMap(ClusterMaps.RELEASES).addEntryListener(
                    (com.hazelcast.map.listener.EntryAddedListener<String, byte[]>) e -> {
                        if (e.getKey().startsWith(requestId + "/")) {
                            try {
                                received.add(ReleaseMessage.decode(e.getValue()));
                            } catch (dev.keyescrow.core.error.FormatException bad) {
                                throw new AssertionError(bad);
                            }
                        }
                    }, true);
            for (int i = 1; i <= 2; i++) {
                cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.APPROVE,
                        cluster.custodianKey(i)));
            }
            try {
                TestCluster.await("every holder released", () -> received.size() == 3);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; received " + received.size() + "; node refusals "
                        + cluster.node(1).refusals + cluster.node(2).refusals + "; state "
                        + cluster.get("/v1/requests/" + requestId).body(), e);
            }
            TestCluster.await("the export is ready", () -> "ACTIVE".equals(cluster.get("/v1/requests/" + requestId)
                    .json().getString("state")));

            // every release the coordinator received, opened as the coordinator can: none opens
            for (ReleaseMessage release : received) {
                byte[] transport = cluster.node(Integer.parseInt(release.nodeId().substring(5))).token
                        .transportPublicKey();
                ShareRef ref = new ShareRef(release.keyId(), release.version(), release.index(), release.length());
                EphemeralKey key = captured;
                assertThrows(CorruptBlobException.class, () -> ReleaseOpener.open(key, transport, requestId, digest,
                        ref, release.wrapped()).destroy(), "the coordinator opened share " + release.index());
                assertThrows(CorruptBlobException.class, () -> ExportReleaseOpener.open(key, transport, requestId,
                        digest, ref, release.wrapped()).destroy(), "the coordinator's key is not the recipient's");
            }

            // what the coordinator answers: the bundle; the recipient's key alone recovers the key from it
            Response answer = cluster.post("/v1/requests/" + requestId + "/export", null, TestCluster.ALICE);
            assertEquals(200, answer.status(), answer.body());
            ExportBundle bundle = ExportBundle.decode(answer.body().getBytes(StandardCharsets.UTF_8));
            Manifest manifest = Manifest.parse(bundle.manifestBytes());
            List<Share> shares = new ArrayList<>();
            for (ExportRelease r : bundle.releases()) {
                try (SecretBytes value = ExportReleaseOpener.open(recipient, r.transportPublicKey(), requestId, digest,
                        new ShareRef("export-key", 1, r.index(), r.length()), r.wrapped())) {
                    shares.add(Share.of(splitIdOf(manifest), SharingParameters.of(manifest.threshold(),
                            manifest.shareCount(), value.length()), r.index(), value));
                }
            }
            try (SecretBytes key = manifest.reconstruct(shares)) {
                assertEquals(manifest.kcv(), Kcv.ofAesKey(key));
                byte[] raw = key.toByteArray(SecretAccess.plaintext());
                List<byte[]> forms = List.of(raw, HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII),
                        Base64.getEncoder().encodeToString(raw).getBytes(StandardCharsets.US_ASCII));
                for (byte[] form : forms) {
                    assertFalse(contains(answer.body().getBytes(StandardCharsets.UTF_8), form),
                            "the export answer holds the key");
                    try (Stream<Path> files = Files.walk(cluster.config.stateDirectory())) {
                        for (Path file : files.filter(Files::isRegularFile).toList()) {
                            assertFalse(contains(Files.readAllBytes(file), form), file + " holds the key");
                        }
                    }
                }
                Arrays.fill(raw, (byte) 0);
            } finally {
                shares.forEach(Share::destroy);
                captured.close();
            }
        }
    }

    /** Every blob of the coordinator's sealed-key store, read from a copy of its directory. */
    private static List<byte[]> sealedBlobsOnDisk(Path stateDirectory, Path copy) throws Exception {
        Path source = stateDirectory.resolve(SealedKeyStore.DIRECTORY);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        List<byte[]> out = new ArrayList<>();
        try (BlobStore store = BlobStore.open(copy)) {
            for (BlobId id : store.ids()) {
                out.add(store.get(id).orElseThrow());
            }
        }
        return out;
    }

    private static SplitId splitIdOf(Manifest manifest) {
        byte[] d = Statements.sha256(("keyescrow/v1/split\0" + manifest.keyId() + "\0" + manifest.version())
                .getBytes(StandardCharsets.US_ASCII));
        return SplitId.copyFrom(Arrays.copyOf(d, SplitId.LENGTH_BYTES));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
