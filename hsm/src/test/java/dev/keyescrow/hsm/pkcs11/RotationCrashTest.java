package dev.keyescrow.hsm.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.ImportedShare;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of epoch rotation with real processes: a child node rotating epochs is
 * killed with SIGKILL at each named point, twice, then a clean rotation runs, then every
 * surviving share must still release and open to its original value, the token must hold
 * exactly the marker's epoch, and exactly the shares of the committed shreds must be gone.
 */
class RotationCrashTest {
    private static final int SHARES = 24;
    private static final int KILLS_PER_POINT = 2;

    @Test
    void killedMidRotation_atEveryNamedPoint_everySurvivingShareStillReleases() throws Exception {
        Instant start = Instant.now();
        SecureRandom random = new SecureRandom();
        SoftHsm2.FreshToken fresh = SoftHsm2.freshToken("crash");
        Path storeDir = SoftHsm2.configuration().getParent().resolve("crash-store-" + fresh.label());
        DirectoryBlobStore store = new DirectoryBlobStore(storeDir);
        Map<Integer, SecretBytes> originals = new HashMap<>();
        Map<Integer, ShareRef> refs = new HashMap<>();
        Pkcs11Token token = Pkcs11Token.provision(SoftHsm2.module(), fresh.settings("node-crash"));
        byte[] transportPublicKey = token.transportPublicKey();
        try {
            List<StoredShare> stored = new ArrayList<>();
            int[] lengths = {16, 32, 33};
            for (int index = 1; index <= SHARES; index++) {
                ShareRef ref = new ShareRef("key-crash", 1, index, lengths[index % 3]);
                byte[] raw = new byte[ref.length()];
                random.nextBytes(raw);
                raw[raw.length - 1] |= 1;
                SecretBytes share = SecretBytes.moveFrom(raw);
                ImportedShare imported = token.importShare(ref,
                        ShareSender.wrapForImport(token.transportPublicKey(), ref, share, random));
                stored.add(imported.stored());
                originals.put(index, share);
                refs.put(index, ref);
            }
            store.put(1, stored);
            store.markComplete(1);
        } finally {
            token.close();
        }
        Path pinFile = SoftHsm2.configuration().getParent().resolve("pins").resolve(fresh.label());

        int committed = 0;
        int kills = 0;
        for (int round = 0; round < KILLS_PER_POINT; round++) {
            for (RotationChild.CrashPoint point : RotationChild.CrashPoint.values()) {
                if (point == RotationChild.CrashPoint.NONE) {
                    continue;
                }
                Process child = start("rotate", storeDir, fresh.label(), pinFile, point.name());
                String announced = awaitLine(child, "CRASH-POINT ");
                assertEquals("CRASH-POINT " + point, announced);
                child.destroyForcibly(); // SIGKILL on Linux
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertNotEquals(0, child.exitValue());
                kills++;
                if (point == RotationChild.CrashPoint.AFTER_MARKER || point == RotationChild.CrashPoint.AFTER_COMMIT) {
                    committed++; // the marker was durable: that shred happened
                }
            }
        }
        Process clean = start("rotate", storeDir, fresh.label(), pinFile, "NONE");
        assertTrue(awaitLine(clean, "ROTATED ").startsWith("ROTATED "));
        assertTrue(clean.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, clean.exitValue());
        committed++;

        try (EphemeralKey requestKey = EphemeralKey.generate(random)) {
            Process verify = start("verify", storeDir, fresh.label(), pinFile,
                    HexFormat.of().formatHex(requestKey.publicKey()));
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(verify.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            assertTrue(verify.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, verify.exitValue(), String.join("\n", lines));
            long epoch = store.completeEpoch();
            assertEquals("EPOCHS [" + epoch + "] COMPLETE " + epoch, lines.get(0));
            List<String> releases = lines.subList(1, lines.size());
            assertEquals(SHARES - committed, releases.size(), "each committed shred destroyed one share");
            byte[] digest = Statements.sha256("req-crash".getBytes(StandardCharsets.US_ASCII));
            int lowestSurvivor = Integer.MAX_VALUE;
            for (String line : releases) {
                String[] parts = line.split(" ");
                int index = Integer.parseInt(parts[1]);
                lowestSurvivor = Math.min(lowestSurvivor, index);
                try (SecretBytes opened = ReleaseOpener.open(requestKey, transportPublicKey, "req-crash", digest, refs.get(index),
                        HexFormat.of().parseHex(parts[2]))) {
                    assertTrue(originals.get(index).equalsSecret(opened), "share " + index + " changed");
                }
            }
            assertEquals(committed + 1, lowestSurvivor, "the shredded shares are exactly the lowest indices");
        }
        originals.values().forEach(SecretBytes::destroy);
        System.out.printf("RotationCrashTest: %d kills, %d committed rotations, %d survivors, %d ms%n", kills,
                committed, SHARES - committed, Duration.between(start, Instant.now()).toMillis());
        assertEquals(KILLS_PER_POINT * 5, kills);
    }

    private static Process start(String mode, Path store, String label, Path pinFile, String last) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:-HeapDumpOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), RotationChild.class.getName(), mode, store.toString(), label,
                pinFile.toString(), last);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return builder.start();
    }

    private static String awaitLine(Process child, String prefix) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        child.destroyForcibly();
        throw new AssertionError("the child never printed '" + prefix + "' (exit " + child.waitFor() + ")");
    }
}
