package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.export.ExportRelease;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Release;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escrow export recover} on the recipient's machine, against bundles made by real
 * node tokens (the development vault) exactly as the nodes make them: a good bundle gives the
 * key back; an altered release, a release signed by a key nobody pinned, a release of a node
 * left out of the pins, a swapped manifest and a bundle for another recipient are refused
 * with exit 2 and nothing on stdout.
 */
class ExportRecoverCommandTest {
    private static final String KEY_ID = "lost-key";
    private static final String REQUEST_ID = "req-0123456789abcdef";

    @TempDir
    Path dir;
    private final SecureRandom random = new SecureRandom();
    private final List<Token> nodes = new ArrayList<>();
    private final List<StoredShare> stored = new ArrayList<>();
    private Path passphrase;
    private byte[] recipientPublicKey;
    private String keyHex;
    private Manifest manifest;
    private CanonicalRequest request;

    record Result(int exit, String out, String err) {
    }

    private static Result escrow(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = Escrow.run(terminal, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void threeNodesHoldA2of3Key_andTheRecipientMadeItsKey() throws Exception {
        passphrase = Files.createFile(dir.resolve("pass"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passphrase, "recipient passphrase");
        Result keygen = escrow("export", "keygen", "--out", dir.resolve("recipient.pem").toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(0, keygen.exit(), keygen.err());
        recipientPublicKey = Base64.getDecoder().decode(keygen.out().trim());
        assertTrue(keygen.err().contains("SHA-256 " + HexFormat.of().formatHex(Statements.sha256(recipientPublicKey))),
                "keygen prints the fingerprint of the recipient key: " + keygen.err());

        byte[] raw = new byte[32];
        random.nextBytes(raw);
        keyHex = HexFormat.of().formatHex(raw);
        List<Holder> holders = new ArrayList<>();
        try (SecretBytes key = SecretBytes.moveFrom(raw)) {
            List<Share> shares = new Shamir(random).split(key, 2, 3);
            for (Share share : shares) {
                int i = share.index();
                Token token = SoftwareToken.provision(DevelopmentMode.explicitlyEnabled(), dir.resolve("node-" + i
                        + ".vault"), PinSource.fromFile(passphrase), "node-" + i, random);
                nodes.add(token);
                ShareRef ref = new ShareRef(KEY_ID, 1, i, 32);
                stored.add(token.importShare(ref, ShareSender.wrapForImport(token.transportPublicKey(), ref,
                        share.value(), random)).stored());
                byte[] salt = new byte[32];
                random.nextBytes(salt);
                holders.add(new Holder(i, "custodian-" + i, Ed25519.publicKeyOf(Ed25519.generatePrivateKey(random)),
                        "node-" + i, ShareCommitment.compute(KEY_ID, 1, share, salt)));
                share.destroy();
            }
            manifest = new Manifest(KEY_ID, 1, KeyAlgorithm.AES_256, 2, holders, Kcv.ofAesKey(key));
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        Instant now = Instant.parse("2026-12-05T08:00:00Z");
        request = new CanonicalRequest(REQUEST_ID, Operation.EXPORT, KEY_ID, 1,
                new RequestParams.Export(recipientPublicKey), "alice", "lost-key drill", now, now.plusSeconds(600),
                nonce, SoftwareP256Signer.generate(random).publicKey());
    }

    /** The nodes' export release of share {@code index}, as its node makes it. */
    private ExportRelease release(int index) throws Exception {
        Token token = nodes.get(index - 1);
        Release r = token.release(ReleaseRequest.toRecipient(REQUEST_ID, HexFormat.of().parseHex(request.digest()),
                recipientPublicKey, manifest.digest(), stored.get(index - 1)));
        return new ExportRelease("node-" + index, index, 32, token.identity().publicKey(), token.transportPublicKey(),
                r.wrapped(), r.statement().signature());
    }

    private Path bundle(String name, Manifest inBundle, ExportRelease... releases) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, new ExportBundle(new String(request.canonicalJson(), StandardCharsets.UTF_8),
                new String(inBundle.canonicalJson(), StandardCharsets.UTF_8), List.of(releases)).encode());
        return file;
    }

    private String pins(int... indices) throws Exception {
        List<String> entries = new ArrayList<>();
        for (int i : indices) {
            entries.add("node-" + i + "=" + EcdsaP256.fingerprint(nodes.get(i - 1).identity().publicKey()));
        }
        return String.join(",", entries);
    }

    private Result recover(Path bundle, String pins, String... more) {
        List<String> args = new ArrayList<>(List.of("export", "recover", "--in", bundle.toString(), "--key",
                dir.resolve("recipient.pem").toString(), "--passphrase-file", passphrase.toString(), "--trust-nodes",
                pins));
        args.addAll(List.of(more));
        return escrow(args.toArray(String[]::new));
    }

    private static void assertRefused(Result r, String because) {
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out(), "nothing on stdout");
        assertTrue(r.err().contains(because), r.err());
    }

    @Test
    void aGoodBundle_givesTheKeyBack_onStdout_orIntoAPrivateFile() throws Exception {
        Path file = bundle("bundle.json", manifest, release(1), release(3));
        Result r = recover(file, pins(1, 2, 3));
        assertEquals(0, r.exit(), r.err());
        assertEquals(keyHex + "\n", r.out());
        assertTrue(r.err().contains("AES-256, 32 bytes, KCV " + manifest.kcv().hex() + " (matches the manifest"),
                r.err());

        Path out = dir.resolve("key.hex");
        Result toFile = recover(file, pins(1, 3), "--out", out.toString());
        assertEquals(0, toFile.exit(), toFile.err());
        assertEquals("", toFile.out());
        assertEquals(keyHex + "\n", Files.readString(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertRefused(recover(file, pins(1, 3), "--out", out.toString()), "exists; refusing to overwrite");

        // the pins as a file, with a note
        Path pinFile = dir.resolve("pins.txt");
        Files.writeString(pinFile, "# from the enrolment record\n" + pins(1, 3).replace(',', '\n') + "\n");
        Result fromFile = escrow("export", "recover", "--in", file.toString(), "--key",
                dir.resolve("recipient.pem").toString(), "--passphrase-file", passphrase.toString(), "--trust-nodes-file",
                pinFile.toString());
        assertEquals(0, fromFile.exit(), fromFile.err());
        assertEquals(keyHex + "\n", fromFile.out());
    }

    @Test
    void anAlteredRelease_isRefused() throws Exception {
        ExportRelease good = release(2);
        byte[] wrapped = good.wrapped();
        wrapped[wrapped.length - 1] ^= 0x01;
        ExportRelease altered = new ExportRelease(good.nodeId(), good.index(), good.length(), good.identityPublicKey(),
                good.transportPublicKey(), wrapped, good.signature());
        assertRefused(recover(bundle("altered.json", manifest, release(1), altered), pins(1, 2, 3)),
                "release of share 2 from node node-2 does not verify under the pinned node key");
    }

    @Test
    void aReleaseForgedUnderAnotherKey_isRefused() throws Exception {
        // the relay makes its own "node-2" release: its own key, its own wrap of a share it chose
        SoftwareP256Signer rogue = SoftwareP256Signer.generate(random);
        ExportRelease good = release(2);
        ShareRef ref = new ShareRef(KEY_ID, 1, 2, 32);
        byte[] wrapped = good.wrapped();
        byte[] signature = rogue.sign(Statements.exportRelease(REQUEST_ID, HexFormat.of().parseHex(request.digest()),
                "node-2", ref, manifest.digest(), recipientPublicKey, good.transportPublicKey(), wrapped));
        ExportRelease forged = new ExportRelease("node-2", 2, 32, rogue.publicKey(), good.transportPublicKey(), wrapped,
                signature);
        assertRefused(recover(bundle("forged.json", manifest, release(1), forged), pins(1, 2, 3)),
                "its identity key does not match the fingerprint pinned for node-2");
    }

    @Test
    void aReleaseOfANodeNotPinned_isRefused() throws Exception {
        assertRefused(recover(bundle("unpinned.json", manifest, release(1), release(2)), pins(1, 3)),
                "node node-2 is not pinned");
    }

    @Test
    void aSwappedManifest_isRefused() throws Exception {
        // the same holders with other commitments (shares the relay chose): the nodes signed the real manifest's digest
        List<Holder> holders = new ArrayList<>();
        for (Holder h : manifest.holders()) {
            holders.add(new Holder(h.index(), h.custodianId(), h.publicKey(), h.nodeId(),
                    new ShareCommitment(h.index(), h.commitment().salt(), "00".repeat(32))));
        }
        Manifest swapped = new Manifest(KEY_ID, 1, KeyAlgorithm.AES_256, 2, holders, manifest.kcv());
        assertRefused(recover(bundle("swapped.json", swapped, release(1), release(3)), pins(1, 2, 3)),
                "does not verify under the pinned node key");
    }

    @Test
    void aBundleForAnotherRecipient_isRefused_andBadInputIsExit2() throws Exception {
        Path file = bundle("bundle.json", manifest, release(1), release(3));
        Result other = escrow("export", "keygen", "--out", dir.resolve("other.pem").toString(), "--passphrase-file",
                passphrase.toString());
        assertEquals(0, other.exit(), other.err());
        Result r = escrow("export", "recover", "--in", file.toString(), "--key", dir.resolve("other.pem").toString(),
                "--passphrase-file", passphrase.toString(), "--trust-nodes", pins(1, 3));
        assertRefused(r, "exports to another recipient key");

        assertRefused(recover(file, "node-1"), "is not NODE_ID=FINGERPRINT");
        assertRefused(recover(file, "node-1=abc"), "64 hex digits");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"format\":\"something else\"}");
        assertRefused(recover(garbage, pins(1, 3)), "not an export bundle");
        assertFalse(Files.exists(dir.resolve("key.hex")));
    }

    @Test
    void onlyOneShare_isNotEnough() throws Exception {
        assertRefused(recover(bundle("one.json", manifest, release(1)), pins(1, 2, 3)),
                "the bundle holds 1 shares; 2 are needed");
    }

    @Test
    void withTheRecoveredKey_thePaperBackupRoundTrips() throws Exception {
        Result r = recover(bundle("bundle.json", manifest, release(2), release(3)), pins(2, 3));
        assertEquals(0, r.exit(), r.err());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                new String[] {"paper", "split", "--group-threshold", "1", "--group", "2-of-3", "--iteration-exponent",
                        "0"});
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        StringBuilder cards = new StringBuilder();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.trim().startsWith("share 1:") || line.trim().startsWith("share 2:")) {
                cards.append(line.substring(line.indexOf(':') + 2)).append('\n');
            }
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        ByteArrayOutputStream backErr = new ByteArrayOutputStream();
        exit = Escrow.run(new Terminal(new ByteArrayInputStream(cards.toString().getBytes(StandardCharsets.UTF_8)),
                new PrintStream(back, true, StandardCharsets.UTF_8), new PrintStream(backErr, true,
                        StandardCharsets.UTF_8)), new String[] {"paper", "recover", "--no-passphrase", "--algorithm",
                                "AES-256"});
        assertEquals(0, exit, backErr.toString(StandardCharsets.UTF_8));
        assertEquals(keyHex, back.toString(StandardCharsets.UTF_8).trim());
        assertTrue(backErr.toString(StandardCharsets.UTF_8).contains("KCV " + manifest.kcv().hex()));
    }
}
