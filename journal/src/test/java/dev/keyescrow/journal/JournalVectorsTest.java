package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vectors of docs/spec/journal.md, byte for byte (the hex below is copied from the spec). */
class JournalVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    static final String PUBLIC_KEY = "04515c3d6eb9e396b904d3feca7f54fdcd0cc1e997bf375dca515ad0a6c3b403"
            + "5f4536be3a50f318fbf9a5475902a221502bef0d57e08c53b2cc0a56f17d9f9354";
    static final String FINGERPRINT = "4269889431e3131966fcaf6a457141943ed2c35b5b917ae62cb339546f523551";
    static final String GENESIS = "40cfb199fba17b0a00578f3043757af8caa20f4a0ab6cefc8c779bf6afa38e17";
    static final String RECORD_1 = "01" + "0000000000000001" + "0000019b76daa800"
            + "40cfb199fba17b0a00578f3043757af8caa20f4a0ab6cefc8c779bf6afa38e17"
            + "0b" + "6b65792d63726561746564"
            + "0000000e" + "7b226b65794964223a226b31227d"
            + "aeb586bdf85e98ee71da4d242ab51d489a411652d90073b90b2d5278e83a7a4c"
            + "36fcd0685e5d648e831b502cadf0113d669aafd0ddcb99217fbf5010b8757bc6";
    static final String RECORD_1_HASH = "7fc06428175e9d67488625375f00b8d01d3605c986049c2d6d622d0aa8bd5879";
    static final String RECORD_2 = "01" + "0000000000000002" + "0000019b76daaddc"
            + "7fc06428175e9d67488625375f00b8d01d3605c986049c2d6d622d0aa8bd5879"
            + "0e" + "73686172652d696d706f72746564"
            + "00000000"
            + "9ed93d01ec52f3b5729d64e48728af1ff0d0fe3010dc192d91d6de1348815df5"
            + "351c602bceed9fd7920421555b5fdbf7a266896651b24c4793f873c215b9aad3";
    static final String RECORD_2_HASH = "5665f90add418aa49acc6af3cc330b9c5932cd8005b437928c60fe9858328fe1";
    static final String CHECKPOINT = "01" + "0000000000000002" + "0000000000000093"
            + "5665f90add418aa49acc6af3cc330b9c5932cd8005b437928c60fe9858328fe1"
            + "0000019b76daafd0"
            + "00000008" + "73746174652d7631"
            + "339e1a76e93722f87a2b0ec51371737020171bad04abe93f8c6457a2d210ef95"
            + "6f7b0a1bbdefb272ea7698de072e3f674730f426693b897ae73ce2171dff181a";
    static final String HEAD = "01" + "06" + "6e6f64652d31"
            + "4269889431e3131966fcaf6a457141943ed2c35b5b917ae62cb339546f523551"
            + "0000000000000002"
            + "5665f90add418aa49acc6af3cc330b9c5932cd8005b437928c60fe9858328fe1"
            + "0000019b76dab3b8"
            + "29cc70d478f741093aa085b23b7db4a1812c9c17ddd396ffcb0f3793778b38d1"
            + "4bf53622ee51c575c1e0bbc10da4fe27a3ba0813cc756a782e948910f461021e";
    /** Version 2, a batch of two: record 1 chained (no signature), record 2 its seal. */
    static final String V2_RECORD_1 = "02" + "0000000000000001" + "0000019b76daa800"
            + "40cfb199fba17b0a00578f3043757af8caa20f4a0ab6cefc8c779bf6afa38e17"
            + "0b" + "6b65792d63726561746564"
            + "0000000e" + "7b226b65794964223a226b31227d"
            + "00";
    static final String V2_RECORD_1_HASH = "81a5182a43c117e8870b8e8abbdee46cf8260f5859fe4b659e3b7a6cf0751fdd";
    static final String V2_RECORD_2 = "02" + "0000000000000002" + "0000019b76daa800"
            + "81a5182a43c117e8870b8e8abbdee46cf8260f5859fe4b659e3b7a6cf0751fdd"
            + "0e" + "73686172652d696d706f72746564"
            + "00000000"
            + "01"
            + "0544b7020c314acb1faf871e52131acf6b09d55fe6aebd629623d5e2a39c8175"
            + "2fbc3f89c54b87dc075601174ef608806a9efe88c5d4818212dfdee76f7623b5";
    static final String V2_RECORD_2_HASH = "7be3ea483ef94e96cecda31a9d19170f447c3990caf83cc6343e9d6f8aed27d4";
    /** Version 2, record 1 appended alone: a batch of one, sealed. */
    static final String V2_LONE_RECORD_1 = "02" + "0000000000000001" + "0000019b76daa800"
            + "40cfb199fba17b0a00578f3043757af8caa20f4a0ab6cefc8c779bf6afa38e17"
            + "0b" + "6b65792d63726561746564"
            + "0000000e" + "7b226b65794964223a226b31227d"
            + "01"
            + "dd930f818b174484e4052403265d944f24362755939091104f6107c20544d2ca"
            + "671e8a2134697135424a881b9786aa16691b50da284841053853046b7893ae41";
    private static final BigInteger N = new BigInteger(
            "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    @TempDir
    Path dir;

    @Test
    void keyFingerprintAndGenesisMatchTheSpec() throws SignatureException {
        assertEquals(PUBLIC_KEY, HEX.formatHex(TestKeys.WRITER.publicKey()));
        assertEquals(FINGERPRINT, EcdsaP256.fingerprint(TestKeys.WRITER.publicKey()));
        assertEquals(GENESIS, HEX.formatHex(RecordFormat.genesisHash(TestKeys.WRITER.publicKey())));
    }

    @Test
    void journalWrittenWithTheSpecInputsIsTheSpecBytes() throws Exception {
        // version 1 as the writer made it before group commit; the journal continues such a file
        JournalRecord first = RecordFormat.sign(TestKeys.WRITER, 1, ScriptedClock.BASE,
                RecordFormat.genesisHash(TestKeys.WRITER.publicKey()), "key-created",
                "{\"keyId\":\"k1\"}".getBytes(StandardCharsets.US_ASCII));
        JournalRecord second = RecordFormat.sign(TestKeys.WRITER, 2, ScriptedClock.BASE + 1500, first.hash(),
                "share-imported", new byte[0]);
        assertEquals(RECORD_1, HEX.formatHex(first.encoded()));
        assertEquals(RECORD_1_HASH, first.hashHex());
        assertEquals(RECORD_2, HEX.formatHex(second.encoded()));
        assertEquals(RECORD_2_HASH, second.hashHex());
        java.nio.file.Files.createDirectories(dir);
        JournalFiles.write(dir.resolve(Journal.JOURNAL_FILE), List.of(first.encoded(), second.encoded()));
        assertEquals("0000008f" + RECORD_1 + "00000084" + RECORD_2,
                HEX.formatHex(Files.readAllBytes(dir.resolve(Journal.JOURNAL_FILE))));
        ScriptedClock clock = ScriptedClock.fromBase();
        Checkpoint checkpoint;
        SignedHead head;
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, clock, ReplayHandler.IGNORE)) {
            clock.set(ScriptedClock.BASE + 2000);
            checkpoint = journal.checkpoint("state-v1".getBytes(StandardCharsets.US_ASCII));
            clock.set(ScriptedClock.BASE + 3000);
            head = journal.publishHead("node-1");
        }
        assertEquals(CHECKPOINT, HEX.formatHex(checkpoint.encoded()));
        assertEquals(CHECKPOINT, HEX.formatHex(Files.readAllBytes(dir.resolve(Journal.CHECKPOINT_FILE))));
        assertEquals(HEAD, HEX.formatHex(head.encoded()));
    }

    @Test
    void versionTwoBatchWithTheSpecInputsIsTheSpecBytes() throws Exception {
        JournalRecord chained = RecordFormat.batched(null, 1, ScriptedClock.BASE,
                RecordFormat.genesisHash(TestKeys.WRITER.publicKey()), "key-created",
                "{\"keyId\":\"k1\"}".getBytes(StandardCharsets.US_ASCII));
        JournalRecord seal = RecordFormat.batched(TestKeys.WRITER, 2, ScriptedClock.BASE, chained.hash(),
                "share-imported", new byte[0]);
        assertEquals(V2_RECORD_1, HEX.formatHex(chained.encoded()));
        assertEquals(V2_RECORD_1_HASH, chained.hashHex());
        assertEquals(V2_RECORD_2, HEX.formatHex(seal.encoded()));
        assertEquals(V2_RECORD_2_HASH, seal.hashHex());
        // the journal's writer makes exactly these bytes when both appends share one batch
        assertEquals(V2_RECORD_2, HEX.formatHex(RecordFormat.decode(HEX.parseHex(V2_RECORD_2)).encoded()));
        RecordFormat.verifySignature(RecordFormat.decode(HEX.parseHex(V2_RECORD_2)), HEX.parseHex(PUBLIC_KEY));
        assertFalse(RecordFormat.decode(HEX.parseHex(V2_RECORD_1)).sealed());
        // a lone append is a batch of one: the spec's record 1 inputs, sealed
        ScriptedClock clock = ScriptedClock.fromBase();
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, clock, ReplayHandler.IGNORE)) {
            clock.set(ScriptedClock.BASE);
            JournalRecord lone = journal.append("key-created", "{\"keyId\":\"k1\"}".getBytes(StandardCharsets.US_ASCII));
            assertEquals(V2_LONE_RECORD_1, HEX.formatHex(lone.encoded()));
        }
    }

    @Test
    void specVectorsDecodeAndVerify() throws Exception {
        byte[] key = HEX.parseHex(PUBLIC_KEY);
        JournalRecord first = RecordFormat.decode(HEX.parseHex(RECORD_1));
        assertEquals(1, first.sequence());
        assertEquals("2026-01-01T00:00:00Z", first.time().toString());
        assertEquals("key-created", first.kind());
        assertEquals("{\"keyId\":\"k1\"}", new String(first.body(), StandardCharsets.US_ASCII));
        assertEquals(RECORD_1_HASH, first.hashHex());
        RecordFormat.verifySignature(first, key);
        JournalRecord second = RecordFormat.decode(HEX.parseHex(RECORD_2));
        assertArrayEquals(first.hash(), second.previousHash());
        RecordFormat.verifySignature(second, key);

        Checkpoint checkpoint = CheckpointFormat.decode(HEX.parseHex(CHECKPOINT));
        assertEquals(2, checkpoint.sequence());
        assertEquals(147, checkpoint.recordOffset());
        assertEquals(RECORD_2_HASH, checkpoint.head().hashHex());
        assertEquals("state-v1", new String(checkpoint.state(), StandardCharsets.US_ASCII));
        CheckpointFormat.verifySignature(checkpoint, key);

        SignedHead head = HeadFormat.decode(HEX.parseHex(HEAD));
        assertEquals("node-1", head.journalId());
        assertEquals(FINGERPRINT, head.writerFingerprintHex());
        assertEquals(2, head.sequence());
        assertEquals(ScriptedClock.BASE + 3000, head.timeMillis());
        HeadFormat.verify(head, key);
    }

    @Test
    void specRefusalsOfRecordOneAreRefused() {
        List<String> accepted = new ArrayList<>();
        byte[] good = HEX.parseHex(RECORD_1);
        String[] names = {"version 2", "version 3", "sequence 0", "trailing byte", "upper-case kind", "body length too long",
            "high s"};
        byte[][] cases = {
            with(good, 0, 0x02),
            with(good, 0, 0x03),
            Arrays.copyOf(setLong(good, 1, 0), good.length),
            Arrays.copyOf(good, good.length + 1),
            with(good, 50, 'K'),
            with(good, 64, 0x0f),
            highS(good),
        };
        for (int i = 0; i < cases.length; i++) {
            try {
                RecordFormat.decode(cases[i]);
                accepted.add(names[i]);
            } catch (JournalFormatException expected) {
                // refused, as the spec requires
            }
        }
        assertEquals(List.of(), accepted);
    }

    @Test
    void highSTwinStillVerifiesButIsNotCanonical() throws Exception {
        byte[] twin = highS(HEX.parseHex(RECORD_1));
        byte[] content = Arrays.copyOf(twin, twin.length - 64);
        byte[] label = RecordFormat.SIGNING_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] input = new byte[label.length + content.length];
        System.arraycopy(label, 0, input, 0, label.length);
        System.arraycopy(content, 0, input, label.length, content.length);
        // the malleated signature is mathematically valid: refusing it is a format rule, not luck
        EcdsaP256.verify(HEX.parseHex(PUBLIC_KEY), input, Arrays.copyOfRange(twin, twin.length - 64, twin.length));
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> RecordFormat.decode(twin));
        assertTrue(e.getMessage().contains("high s"), e.getMessage());
    }

    @Test
    void checkpointAndHeadRefuseUnknownVersionAndTrailingBytes() {
        byte[] checkpoint = HEX.parseHex(CHECKPOINT);
        byte[] head = HEX.parseHex(HEAD);
        assertThrows(JournalFormatException.class, () -> CheckpointFormat.decode(with(checkpoint, 0, 2)));
        assertThrows(JournalFormatException.class, () -> CheckpointFormat.decode(Arrays.copyOf(checkpoint, checkpoint.length + 1)));
        assertThrows(JournalFormatException.class, () -> CheckpointFormat.decode(highS(checkpoint)));
        assertThrows(JournalFormatException.class, () -> HeadFormat.decode(with(head, 0, 2)));
        assertThrows(JournalFormatException.class, () -> HeadFormat.decode(Arrays.copyOf(head, head.length + 1)));
        assertThrows(JournalFormatException.class, () -> HeadFormat.decode(with(head, 2, '-')));
        assertThrows(JournalFormatException.class, () -> HeadFormat.decode(highS(head)));
    }

    @Test
    void headIsRefusedUnderAnotherPinnedKey() throws Exception {
        SignedHead head = HeadFormat.decode(HEX.parseHex(HEAD));
        assertThrows(SignatureException.class, () -> HeadFormat.verify(head, TestKeys.OTHER.publicKey()));
    }

    static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] setLong(byte[] bytes, int index, long value) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < 8; i++) {
            copy[index + i] = (byte) (value >>> (56 - 8 * i));
        }
        return copy;
    }

    static byte[] highS(byte[] encoded) {
        byte[] copy = encoded.clone();
        int sAt = copy.length - 32;
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(copy, sAt, copy.length));
        byte[] high = N.subtract(s).toByteArray();
        Arrays.fill(copy, sAt, copy.length, (byte) 0);
        int n = Math.min(high.length, 32);
        System.arraycopy(high, high.length - n, copy, copy.length - n, n);
        return copy;
    }
}
