package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberJournal;
import dev.keyescrow.cli.cluster.MemberProcess;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code escrow demo} itself, end to end (not timed), in its JSON form so the test can read it. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunsTheWholeCeremonyAndLeavesNoProcessBehind() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), "demo", "--dir",
                dir.toString(), "--json");
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, stdout + err.toString(StandardCharsets.UTF_8));
        JsonObject summary = new JsonObject(stdout);
        assertEquals("ok", summary.getString("result"));
        assertEquals(6, summary.getString("kcv").length());
        assertEquals(15, summary.getJsonArray("steps").size());
        String log = String.join("\n", summary.getJsonArray("ceremonyLog").getList());
        assertTrue(log.contains("KCV " + summary.getString("kcv")), log);
        assertTrue(log.contains("approved by [custodian-1, custodian-3, custodian-5]"), log);
        assertTrue(log.contains("shred receipts from"), log);
        assertTrue(log.contains("REFRESH") && log.contains("same KCV"), log);
        assertTrue(log.contains("RESHARE") && log.contains("2-of-3"), log);
        assertTrue(log.contains("approved by [custodian-2, custodian-4, custodian-5]; signature"), log);

        // the FROST section: checked here again, independently of what the demo says of itself
        JsonObject signing = summary.getJsonObject("signing");
        byte[] publicKey = HexFormat.of().parseHex(signing.getString("publicKey"));
        byte[] message = Base64.getDecoder().decode(signing.getString("message"));
        byte[] signature = Base64.getDecoder().decode(signing.getString("signature"));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                HexFormat.of().parseHex("302a300506032b6570032100" + signing.getString("publicKey")))));
        jdk.update(message);
        assertTrue(jdk.verify(signature), "the JDK verifies the quorum's signature under the group public key");
        assertTrue(org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0,
                message.length), "so does Bouncy Castle");
        int released = 0;
        int signatureShares = 0;
        ClusterLayout layout = new ClusterLayout(dir);
        for (int i = 1; i <= 5; i++) {
            for (JsonObject event : MemberJournal.events(layout.memberDir(ClusterLayout.nodeId(i)))) {
                if (signing.getString("requestId").equals(MemberJournal.requestIdOf(event))) {
                    released += "share-released".equals(event.getString("event")) ? 1 : 0;
                    signatureShares += "frost-signed".equals(event.getString("event")) ? 1 : 0;
                }
            }
        }
        assertEquals(0, released, "no node released a share for the SIGN");
        assertTrue(signatureShares >= 3, "at least t nodes journaled signature shares: " + signatureShares);
        assertEquals(0, signing.getInteger("shareReleases"));
        assertEquals(signatureShares, signing.getInteger("signatureShares"));
        assertTrue(log.contains("0 share releases"), log);
        // made by distributed key generation, not dealt: the coordinator journaled a manifest
        // that pins a DKG transcript for the signing key, and no key import of it
        String signingKeyId = signing.getString("keyId");
        boolean dkgManifest = false;
        for (JsonObject event : MemberJournal.events(layout.memberDir(ClusterLayout.COORDINATOR))) {
            String text = event.encode();
            if (text.contains(signingKeyId)) {
                dkgManifest |= text.contains("dkgTranscript");
                assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains("import"),
                        "the signing key was imported: " + event.getString("type"));
            }
        }
        assertTrue(dkgManifest, "the coordinator journaled no DKG manifest for " + signingKeyId);

        for (MemberProcess m : LocalCluster.recorded(new ClusterLayout(dir))) {
            assertFalse(ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false), m.id() + " still runs");
        }
    }
}
