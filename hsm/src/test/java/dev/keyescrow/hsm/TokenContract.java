package dev.keyescrow.hsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ExportReleaseOpener;
import dev.keyescrow.hsm.spec.FrostShareOpener;
import dev.keyescrow.hsm.spec.P256;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import dev.keyescrow.hsm.wycheproof.WycheproofCase;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The {@link Token} contract, written once and run against every implementation (the
 * development vault and SoftHSM2). Each test gets a freshly provisioned token.
 */
public abstract class TokenContract {
    protected static final SecureRandom RANDOM = new SecureRandom();
    protected static final String NODE = "node-1";

    protected Token token;

    /** A freshly provisioned token for node {@link #NODE}. */
    protected abstract Token provisionToken() throws Exception;

    /** Closes {@code token} and opens the same token again, as a restarted process would. */
    protected abstract Token reopen(Token token) throws Exception;

    protected abstract VaultKind expectedKind();

    /**
     * Closes {@code token} and reopens it as a token provisioned before the seal key existed
     * would be: the same keys, no seal key object.
     */
    protected abstract Token reopenWithoutSealKey(Token token) throws Exception;

    @BeforeEach
    void provision() throws Exception {
        token = provisionToken();
    }

    @AfterEach
    void closeToken() {
        if (token != null) {
            token.close();
        }
    }

    protected static SecretBytes randomShare(int length) {
        byte[] raw = new byte[length];
        RANDOM.nextBytes(raw);
        raw[length - 1] |= 1; // a non-zero last byte, so a lost or added padding byte shows
        return SecretBytes.moveFrom(raw);
    }

    protected ImportedShare importShare(ShareRef ref, SecretBytes share) throws Exception {
        byte[] envelope = ShareSender.wrapForImport(token.transportPublicKey(), ref, share, RANDOM);
        ImportedShare imported = token.importShare(ref, envelope);
        byte[] expected = Statements.importReceipt(NODE, ref, envelope, imported.stored().blob().encoded());
        assertArrayEquals(expected, imported.receipt().statement());
        EcdsaP256.verify(token.identity().publicKey(), imported.receipt().statement(), imported.receipt().signature());
        return imported;
    }

    protected static byte[] digest(String requestId) {
        return Statements.sha256(requestId.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Releases {@code stored} for a fresh request and opens it on the receiver's side. */
    protected SecretBytes releaseAndOpen(StoredShare stored, String requestId) throws Exception {
        try (EphemeralKey requestKey = EphemeralKey.generate(RANDOM)) {
            Release release = token.release(new ReleaseRequest(requestId, digest(requestId), requestKey.publicKey(),
                    stored));
            byte[] expected = Statements.release(requestId, digest(requestId), NODE, stored.ref(), release.wrapped());
            assertArrayEquals(expected, release.statement().statement());
            EcdsaP256.verify(token.identity().publicKey(), release.statement().statement(),
                    release.statement().signature());
            return ReleaseOpener.open(requestKey, token.transportPublicKey(), requestId, digest(requestId),
                    stored.ref(), release.wrapped());
        }
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {16, 32, 33})
    void importThenRelease_receiverRecoversExactlyTheShare(int length) throws Exception {
        ShareRef ref = new ShareRef("key-a", 1, 3, length);
        try (SecretBytes share = randomShare(length)) {
            ImportedShare imported = importShare(ref, share);
            try (SecretBytes opened = releaseAndOpen(imported.stored(), "req-1")) {
                assertEquals(length, opened.length());
                assertTrue(share.equalsSecret(opened), "released share differs from the imported one");
            }
        }
    }

    private static final String MANIFEST_DIGEST = "ab".repeat(32);

    @Test
    void exportRelease_isSignedForTheRecipient_andOpensOnlyWithTheRecipientKey() throws Exception {
        ShareRef ref = new ShareRef("key-a", 1, 2, 32);
        try (SecretBytes share = randomShare(32); EphemeralKey recipient = EphemeralKey.generate(RANDOM);
             EphemeralKey other = EphemeralKey.generate(RANDOM)) {
            StoredShare stored = importShare(ref, share).stored();
            Release release = token.release(ReleaseRequest.toRecipient("req-e", digest("req-e"), recipient.publicKey(),
                    MANIFEST_DIGEST, stored));
            byte[] expected = Statements.exportRelease("req-e", digest("req-e"), NODE, ref, MANIFEST_DIGEST,
                    recipient.publicKey(), token.transportPublicKey(), release.wrapped());
            assertArrayEquals(expected, release.statement().statement());
            EcdsaP256.verify(token.identity().publicKey(), expected, release.statement().signature());
            try (SecretBytes opened = ExportReleaseOpener.open(recipient, token.transportPublicKey(), "req-e",
                    digest("req-e"), ref, release.wrapped())) {
                assertTrue(share.equalsSecret(opened), "the recipient recovers exactly the share");
            }
            assertThrows(CorruptBlobException.class, () -> ExportReleaseOpener.open(other, token.transportPublicKey(),
                    "req-e", digest("req-e"), ref, release.wrapped()), "another key does not open it");
            assertThrows(CorruptBlobException.class, () -> ExportReleaseOpener.open(recipient,
                    token.transportPublicKey(), "req-f", digest("req-f"), ref, release.wrapped()),
                    "nor does another request's context");
            assertThrows(CorruptBlobException.class, () -> ReleaseOpener.open(recipient, token.transportPublicKey(),
                    "req-e", digest("req-e"), ref, release.wrapped()), "nor the ordinary release construction");
        }
    }

    @Test
    void releaseForAnotherEphemeralKey_doesNotOpen() throws Exception {
        ShareRef ref = new ShareRef("key-a", 1, 1, 32);
        try (SecretBytes share = randomShare(32); EphemeralKey requested = EphemeralKey.generate(RANDOM);
             EphemeralKey other = EphemeralKey.generate(RANDOM)) {
            StoredShare stored = importShare(ref, share).stored();
            Release release = token.release(new ReleaseRequest("req-2", digest("req-2"), requested.publicKey(), stored));
            assertThrows(CorruptBlobException.class, () -> ReleaseOpener.open(other, token.transportPublicKey(),
                    "req-2", digest("req-2"), ref, release.wrapped()));
            // nor as another request's release, with the right key
            assertThrows(CorruptBlobException.class, () -> ReleaseOpener.open(requested, token.transportPublicKey(),
                    "req-3", digest("req-3"), ref, release.wrapped()));
        }
    }

    @Test
    void importOfAlteredEnvelope_isCorruptBlob_andTokenStillServes() throws Exception {
        ShareRef ref = new ShareRef("key-a", 1, 2, 32);
        try (SecretBytes share = randomShare(32)) {
            byte[] envelope = ShareSender.wrapForImport(token.transportPublicKey(), ref, share, RANDOM);
            envelope[envelope.length - 5] ^= 0x01;
            CorruptBlobException e = assertThrows(CorruptBlobException.class, () -> token.importShare(ref, envelope));
            assertFalse(e instanceof ShreddedShareException);
            assertTrue(share.equalsSecret(releaseAndOpen(importShare(ref, share).stored(), "req-4")));
        }
    }

    @Test
    void importUnderAnotherShareReference_isCorruptBlob() throws Exception {
        ShareRef ref = new ShareRef("key-a", 1, 2, 32);
        try (SecretBytes share = randomShare(32)) {
            byte[] envelope = ShareSender.wrapForImport(token.transportPublicKey(), ref, share, RANDOM);
            assertThrows(CorruptBlobException.class,
                    () -> token.importShare(new ShareRef("key-a", 1, 4, 32), envelope));
        }
    }

    @Test
    void releaseOfAlteredBlob_isCorruptBlob_notTokenFailure() throws Exception {
        ShareRef ref = new ShareRef("key-b", 2, 5, 33);
        try (SecretBytes share = randomShare(33); EphemeralKey key = EphemeralKey.generate(RANDOM)) {
            StoredShare stored = importShare(ref, share).stored();
            byte[] wrapped = stored.blob().wrapped();
            wrapped[0] ^= (byte) 0x80;
            StoredShare altered = new StoredShare(ref, ShareBlob.of(stored.blob().epoch(), wrapped));
            CorruptBlobException e = assertThrows(CorruptBlobException.class,
                    () -> token.release(new ReleaseRequest("req-5", digest("req-5"), key.publicKey(), altered)));
            assertFalse(e instanceof ShreddedShareException);
        }
    }

    @Test
    void releaseToInvalidEphemeralKey_isRefused() throws Exception {
        ShareRef ref = new ShareRef("key-a", 1, 1, 16);
        try (SecretBytes share = randomShare(16)) {
            StoredShare stored = importShare(ref, share).stored();
            byte[] notOnCurve = new byte[65];
            notOnCurve[0] = 0x04;
            notOnCurve[64] = 0x01;
            assertThrows(InvalidPeerKeyException.class,
                    () -> token.release(new ReleaseRequest("req-6", digest("req-6"), notOnCurve, stored)));
        }
    }

    @Test
    void shred_destroyedShareCannotBeOpened_survivorsStillRelease() throws Exception {
        List<StoredShare> stored = new ArrayList<>();
        List<SecretBytes> values = new ArrayList<>();
        int[] lengths = {16, 32, 33};
        for (int i = 0; i < lengths.length; i++) {
            ShareRef ref = new ShareRef("key-c", 1, i + 1, lengths[i]);
            values.add(randomShare(lengths[i]));
            stored.add(importShare(ref, values.get(i)).stored());
        }
        StoredShare destroyed = stored.get(0);
        List<StoredShare> survivors = stored.subList(1, 3);
        SignedStatement receipt;
        List<StoredShare> rewrapped;
        try (EpochRotation rotation = token.beginRotation()) {
            assertEquals(List.of(1L, 2L), token.epochs());
            rewrapped = rotation.rewrap(survivors);
            receipt = rotation.commit(List.of(destroyed.ref()));
        }
        assertEquals(List.of(2L), token.epochs());
        assertArrayEquals(Statements.shredReceipt(NODE, 2, List.of(destroyed.ref())), receipt.statement());
        EcdsaP256.verify(token.identity().publicKey(), receipt.statement(), receipt.signature());
        CorruptBlobException gone = assertThrows(CorruptBlobException.class, () -> releaseAndOpen(destroyed, "req-7"));
        assertInstanceOf(ShreddedShareException.class, gone);
        // the destroyed blob re-labelled with the new epoch does not open either
        StoredShare relabelled = new StoredShare(destroyed.ref(), ShareBlob.of(2, destroyed.blob().wrapped()));
        assertThrows(CorruptBlobException.class, () -> releaseAndOpen(relabelled, "req-8"));
        for (int i = 0; i < rewrapped.size(); i++) {
            assertEquals(2, rewrapped.get(i).blob().epoch());
            try (SecretBytes opened = releaseAndOpen(rewrapped.get(i), "req-9")) {
                assertTrue(values.get(i + 1).equalsSecret(opened));
            }
            StoredShare oldBlob = survivors.get(i);
            assertThrows(ShreddedShareException.class, () -> releaseAndOpen(oldBlob, "req-10"));
        }
        values.forEach(SecretBytes::destroy);
    }

    @Test
    void releasesRacingACommittedRotation_failOnlyAsShredded() throws Exception {
        List<StoredShare> stored = new ArrayList<>();
        for (int index = 1; index <= 12; index++) {
            stored.add(importShare(new ShareRef("key-r", 1, index, 32), randomShare(32)).stored());
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger released = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger shredded = new java.util.concurrent.atomic.AtomicInteger();
        byte[] digest = Statements.sha256(new byte[] {4});
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread thread = new Thread(() -> {
                try (EphemeralKey key = EphemeralKey.generate(RANDOM)) {
                    int i = 0;
                    while (!stop.get()) {
                        try {
                            token.release(new ReleaseRequest("req-r", digest, key.publicKey(),
                                    stored.get(i++ % stored.size())));
                            released.incrementAndGet();
                        } catch (ShreddedShareException expected) {
                            shredded.incrementAndGet();
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        List<StoredShare> fresh;
        try (EpochRotation rotation = token.beginRotation()) {
            fresh = rotation.rewrap(stored);
            rotation.commit(List.of());
        }
        Thread.sleep(200);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), unexpected.stream().map(Throwable::toString).toList());
        assertTrue(released.get() > 0 && shredded.get() > 0, released + " released, " + shredded + " shredded");
        try (EphemeralKey key = EphemeralKey.generate(RANDOM)) {
            token.release(new ReleaseRequest("req-r", digest, key.publicKey(), fresh.get(0)));
        }
    }

    @Test
    void abortedRotation_keepsTheOldEpoch() throws Exception {
        ShareRef ref = new ShareRef("key-d", 1, 1, 32);
        try (SecretBytes share = randomShare(32)) {
            StoredShare stored = importShare(ref, share).stored();
            try (EpochRotation rotation = token.beginRotation()) {
                rotation.rewrap(List.of(stored));
                assertThrows(IllegalStateException.class, () -> importShare(ref, share));
            }
            assertEquals(List.of(1L), token.epochs());
            assertTrue(share.equalsSecret(releaseAndOpen(stored, "req-11")));
            assertEquals(1, importShare(ref, share).stored().blob().epoch());
        }
    }

    @Test
    void restartMidRotation_recoversTheCompleteEpoch() throws Exception {
        ShareRef ref = new ShareRef("key-e", 3, 7, 33);
        try (SecretBytes share = randomShare(33)) {
            StoredShare old = importShare(ref, share).stored();
            EpochRotation rotation = token.beginRotation();
            StoredShare fresh = rotation.rewrap(List.of(old)).get(0);
            token = reopen(token); // the process died before commit, after the new blobs were durable
            assertEquals(List.of(1L, 2L), token.epochs());
            assertThrows(TokenFailureException.class, token::beginRotation);
            assertTrue(share.equalsSecret(releaseAndOpen(fresh, "req-12")), "both epochs open until recovery");
            token.retainOnlyEpoch(2);
            assertEquals(List.of(2L), token.epochs());
            assertTrue(share.equalsSecret(releaseAndOpen(fresh, "req-13")));
            assertThrows(ShreddedShareException.class, () -> releaseAndOpen(old, "req-14"));
            token = reopen(token);
            assertEquals(List.of(2L), token.epochs());
            assertTrue(share.equalsSecret(releaseAndOpen(fresh, "req-15")));
        }
    }

    @Test
    void describe_namesKindAndFingerprints() throws Exception {
        TokenDescription description = token.describe();
        assertEquals(expectedKind(), description.kind());
        assertEquals(EcdsaP256.fingerprint(token.identity().publicKey()), description.identityFingerprint());
        assertEquals(EcdsaP256.fingerprint(token.transportPublicKey()), description.transportFingerprint());
        assertFalse(description.identityFingerprint().equals(description.transportFingerprint()),
                "identity and transport keys are separate keys");
        assertEquals(1, description.currentEpoch());
        byte[] message = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        EcdsaP256.verify(token.identity().publicKey(), message, token.identity().sign(message));
    }

    @Test
    void reopen_keepsKeysAndBlobs() throws Exception {
        ShareRef ref = new ShareRef("key-f", 1, 9, 16);
        byte[] identity = token.identity().publicKey();
        byte[] transport = token.transportPublicKey();
        try (SecretBytes share = randomShare(16)) {
            StoredShare stored = importShare(ref, share).stored();
            token = reopen(token);
            assertArrayEquals(identity, token.identity().publicKey());
            assertArrayEquals(transport, token.transportPublicKey());
            assertTrue(share.equalsSecret(releaseAndOpen(stored, "req-16")));
        }
    }

    // ---------------------------------------------------------------- sealing

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 32, 33, 1024})
    void seal_opensForItsContext_andSurvivesAReopen(int length) throws Exception {
        SealContext context = new SealContext("req-20", digest("req-20"));
        try (SecretBytes secret = randomShare(length)) {
            byte[] sealed = token.seal(context, secret);
            assertEquals(1 + 12 + length + 16, sealed.length);
            assertEquals(2, sealed[0], "the seal format's version byte");
            try (SecretBytes opened = token.unseal(context, sealed)) {
                assertTrue(secret.equalsSecret(opened));
            }
            byte[] again = token.seal(context, secret);
            assertFalse(Arrays.equals(Arrays.copyOfRange(sealed, 1, 13), Arrays.copyOfRange(again, 1, 13)),
                    "every seal has a fresh IV");
            token = reopen(token);
            try (SecretBytes opened = token.unseal(context, sealed)) {
                assertTrue(secret.equalsSecret(opened), "a restarted process opens what it sealed before");
            }
        }
    }

    @Test
    void seal_isBoundToRequestIdAndDigest_andRefusesAlteredBytes() throws Exception {
        SealContext context = new SealContext("req-21", digest("req-21"));
        try (SecretBytes secret = randomShare(32)) {
            byte[] sealed = token.seal(context, secret);
            assertThrows(CorruptBlobException.class,
                    () -> token.unseal(new SealContext("req-22", digest("req-21")), sealed));
            assertThrows(CorruptBlobException.class,
                    () -> token.unseal(new SealContext("req-21", digest("req-22")), sealed));
            for (int position : new int[] {1, 13, sealed.length - 1}) {
                byte[] altered = sealed.clone();
                altered[position] ^= 0x01;
                CorruptBlobException e = assertThrows(CorruptBlobException.class, () -> token.unseal(context, altered));
                assertFalse(e instanceof ShreddedShareException);
            }
            assertThrows(CorruptBlobException.class, () -> token.unseal(context, Arrays.copyOf(sealed, 29)));
            assertThrows(CorruptBlobException.class, () -> token.unseal(context, new byte[0]));
            assertTrue(secret.equalsSecret(token.unseal(context, sealed)), "a refused blob leaves the token serving");
            assertThrows(IllegalArgumentException.class, () -> token.seal(context, SecretBytes.copyFrom(new byte[0])));
            assertThrows(IllegalArgumentException.class, () -> token.seal(context, randomShare(1025)));
        }
    }

    @Test
    void tokenProvisionedBeforeTheSealKey_getsItAtItsFirstSeal_andKeepsIt() throws Exception {
        SealContext context = new SealContext("req-23", digest("req-23"));
        try (SecretBytes secret = randomShare(32)) {
            byte[] sealedBefore = token.seal(context, secret);
            ShareRef ref = new ShareRef("key-g", 1, 1, 32);
            StoredShare stored = importShare(ref, secret).stored();
            token = reopenWithoutSealKey(token);
            assertThrows(CorruptBlobException.class, () -> token.unseal(context, sealedBefore),
                    "without a seal key nothing opens");
            byte[] sealed = token.seal(context, secret);
            assertTrue(secret.equalsSecret(token.unseal(context, sealed)));
            token = reopen(token);
            assertTrue(secret.equalsSecret(token.unseal(context, sealed)), "the seal key made late was kept");
            assertThrows(CorruptBlobException.class, () -> token.unseal(context, sealedBefore),
                    "the new seal key is a new key");
            assertTrue(secret.equalsSecret(releaseAndOpen(stored, "req-24")), "the other keys are untouched");
        }
    }

    // ---------------------------------------------------------------- key purposes

    /** The purposes a token makes or opens envelopes for (trust rule: one key, one purpose). */
    enum Purpose { SHARE_IMPORT, RELEASE, SEAL, KEY_IMPORT, EXPORT_RELEASE, FROST_SIGN }

    static Stream<Arguments> purposePairs() {
        return Arrays.stream(Purpose.values()).flatMap(made -> Arrays.stream(Purpose.values())
                .map(opened -> Arguments.of(made, opened)));
    }

    /** Everything shares one id ("req-30" is the key id, the request id and the ephemeral key's), to collide where it can. */
    private static final String SHARED_ID = "req-30";

    /** What {@code purpose} makes for {@code secret}, with ephemeral key {@code e} where the purpose has one. */
    private byte[] make(Purpose purpose, SecretBytes secret, EphemeralKey e) throws Exception {
        ShareRef ref = new ShareRef(SHARED_ID, 1, 1, 32);
        return switch (purpose) {
            case SHARE_IMPORT -> ShareSender.wrapForImport(token.transportPublicKey(), ref, secret, e);
            case RELEASE -> {
                StoredShare stored = token.importShare(ref, ShareSender.wrapForImport(token.transportPublicKey(), ref,
                        secret, RANDOM)).stored();
                byte[] wrapped = token.release(new ReleaseRequest(SHARED_ID, digest(SHARED_ID), e.publicKey(), stored))
                        .wrapped();
                yield envelopeLayout(e.publicKey(), wrapped);
            }
            case EXPORT_RELEASE -> {
                StoredShare stored = token.importShare(ref, ShareSender.wrapForImport(token.transportPublicKey(), ref,
                        secret, RANDOM)).stored();
                byte[] wrapped = token.release(ReleaseRequest.toRecipient(SHARED_ID, digest(SHARED_ID), e.publicKey(),
                        MANIFEST_DIGEST, stored)).wrapped();
                yield envelopeLayout(e.publicKey(), wrapped);
            }
            case FROST_SIGN -> {
                StoredShare stored = token.importShare(ref, ShareSender.wrapForImport(token.transportPublicKey(), ref,
                        secret, RANDOM)).stored();
                byte[] wrapped = token.release(ReleaseRequest.toFrostSigner(SHARED_ID, digest(SHARED_ID),
                        e.publicKey(), stored)).wrapped();
                yield envelopeLayout(e.publicKey(), wrapped);
            }
            case SEAL -> token.seal(new SealContext(SHARED_ID, digest(SHARED_ID)), secret);
            case KEY_IMPORT -> ShareSender.wrapForKeyImport(token.transportPublicKey(), SHARED_ID,
                    KeyAlgorithm.AES_256, secret, e);
        };
    }

    /** Opens {@code bytes} as {@code purpose} would; throws if they do not open. */
    private SecretBytes open(Purpose purpose, byte[] bytes, EphemeralKey e) throws Exception {
        ShareRef ref = new ShareRef(SHARED_ID, 1, 1, 32);
        return switch (purpose) {
            case SHARE_IMPORT -> releaseAndOpen(token.importShare(ref, bytes).stored(), "req-31");
            case RELEASE -> ReleaseOpener.open(e, token.transportPublicKey(), SHARED_ID, digest(SHARED_ID), ref,
                    Arrays.copyOfRange(bytes, bytes[0] == 0x01 ? 66 : 13, bytes.length)); // the wrapped part
            case EXPORT_RELEASE -> ExportReleaseOpener.open(e, token.transportPublicKey(), SHARED_ID,
                    digest(SHARED_ID), ref, Arrays.copyOfRange(bytes, bytes[0] == 0x01 ? 66 : 13, bytes.length));
            case FROST_SIGN -> FrostShareOpener.open(e, token.transportPublicKey(), SHARED_ID,
                    digest(SHARED_ID), ref, Arrays.copyOfRange(bytes, bytes[0] == 0x01 ? 66 : 13, bytes.length));
            case SEAL -> token.unseal(new SealContext(SHARED_ID, digest(SHARED_ID)), sealLayout(bytes));
            case KEY_IMPORT -> releaseAndOpen(token.acceptKeyImport(SHARED_ID, KeyAlgorithm.AES_256, bytes), "req-32");
        };
    }

    /** {@code 0x01 || E || wrapped}: a release's bytes laid out as an import envelope. */
    private static byte[] envelopeLayout(byte[] e, byte[] wrapped) {
        byte[] out = new byte[1 + e.length + wrapped.length];
        out[0] = 0x01;
        System.arraycopy(e, 0, out, 1, e.length);
        System.arraycopy(wrapped, 0, out, 1 + e.length, wrapped.length);
        return out;
    }

    /** Other purposes' bytes given the seal format's version byte, so that they reach the GCM check. */
    private static byte[] sealLayout(byte[] bytes) {
        byte[] out = bytes.clone();
        if (out.length > 0) {
            out[0] = 0x02;
        }
        return out;
    }

    @ParameterizedTest(name = "made for {0}, opened as {1}")
    @MethodSource("purposePairs")
    void anEnvelopeMadeForOnePurpose_opensOnlyUnderThatPurpose(Purpose made, Purpose opened) throws Exception {
        try (SecretBytes secret = randomShare(32); EphemeralKey e = EphemeralKey.generate(RANDOM)) {
            byte[] bytes = make(made, secret, e);
            if (made == opened) {
                try (SecretBytes back = open(opened, bytes, e)) {
                    assertTrue(secret.equalsSecret(back), "each purpose opens its own envelope");
                }
            } else {
                assertThrows(CorruptBlobException.class, () -> open(opened, bytes, e).destroy(),
                        "made for " + made + ", must not open as " + opened);
            }
        }
    }

    // ---------------------------------------------------------------- FROST shares for signing

    @Test
    void unwrapFrostShare_givesTheStoredScalarForThatRequestOnly() throws Exception {
        ShareRef ref = new ShareRef("frost-key", 1, 2, Token.FROST_SHARE_LENGTH);
        try (SecretBytes share = randomShare(Token.FROST_SHARE_LENGTH)) {
            StoredShare stored = importShare(ref, share).stored();
            try (SecretBytes opened = token.unwrapFrostShare("req-40", digest("req-40"), stored)) {
                assertTrue(share.equalsSecret(opened), "the share the node imported");
            }
            token = reopen(token);
            try (SecretBytes again = token.unwrapFrostShare("req-41", digest("req-41"), stored)) {
                assertTrue(share.equalsSecret(again), "after a restart too");
            }
        }
    }

    @Test
    void aDkgShareOpensOnlyForItsCeremonySenderAndRecipient_andNeverAsAnImport() throws Exception {
        ShareRef recipient = new ShareRef("dkg-key", 1, 2, Token.FROST_SHARE_LENGTH);
        try (SecretBytes value = randomShare(Token.FROST_SHARE_LENGTH)) {
            byte[] envelope = ShareSender.wrapForDkgShare(token.transportPublicKey(), "dkg-c1", 3, recipient, value,
                    RANDOM);
            try (SecretBytes opened = token.openDkgShare("dkg-c1", digest("dkg-c1"), 3, recipient, envelope)) {
                assertTrue(value.equalsSecret(opened), "the recipient's token opens its round-two share");
            }
            assertThrows(CorruptBlobException.class, () -> token.acceptDkgShare("dkg-c2", 3, recipient, envelope),
                    "another ceremony");
            assertThrows(CorruptBlobException.class, () -> token.acceptDkgShare("dkg-c1", 1, recipient, envelope),
                    "another sender");
            assertThrows(CorruptBlobException.class, () -> token.acceptDkgShare("dkg-c1", 3,
                    new ShareRef("dkg-key", 1, 4, Token.FROST_SHARE_LENGTH), envelope), "another recipient");
            assertThrows(CorruptBlobException.class, () -> token.importShare(recipient, envelope),
                    "a round-two share never imports as a share");
            byte[] imported = ShareSender.wrapForImport(token.transportPublicKey(), recipient, value, RANDOM);
            assertThrows(CorruptBlobException.class, () -> token.acceptDkgShare("dkg-c1", 3, recipient, imported),
                    "an import envelope never opens as a round-two share");
        }
    }

    @Test
    void unwrapFrostShare_refusesAShareThatIsNotAScalar() throws Exception {
        ShareRef ref = new ShareRef("aes-key", 1, 1, 16);
        StoredShare stored = importShare(ref, randomShare(16)).stored();
        assertThrows(IllegalArgumentException.class, () -> token.unwrapFrostShare("req-42", digest("req-42"), stored));
    }

    // ---------------------------------------------------------------- USE session keys

    private static byte[] random(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return out;
    }

    private static byte[] jdkGcm(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(aad);
        return gcm.doFinal(input);
    }

    @Test
    void sessionAesKey_agreesWithTheJdkInBothDirections() throws Exception {
        byte[] raw = random(32);
        try (SessionKey key = token.openSessionKey(KeyAlgorithm.AES_256, SecretBytes.copyFrom(raw))) {
            assertEquals(KeyAlgorithm.AES_256, key.algorithm());
            for (int length : new int[] {0, 1, 16, 31, 1000}) {
                byte[] plaintext = random(length);
                byte[] aad = random(length % 7);
                byte[] iv = random(SessionKey.GCM_IV_LENGTH);
                byte[] sealed = key.encrypt(iv, plaintext, aad);
                assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, raw, iv, aad, plaintext), sealed);
                assertArrayEquals(plaintext, key.decrypt(iv, sealed, aad));
                byte[] iv2 = random(SessionKey.GCM_IV_LENGTH);
                assertArrayEquals(plaintext, key.decrypt(iv2, jdkGcm(Cipher.ENCRYPT_MODE, raw, iv2, aad, plaintext),
                        aad));
            }
        }
    }

    /** Wycheproof AES-GCM, the cases of the shape sessions use: 256-bit key, 96-bit IV, 128-bit tag. */
    @Test
    void sessionAesKey_passesWycheproofGcm() throws Exception {
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (WycheproofCase c : WycheproofCase.load("aes_gcm_test.json")) {
            if (c.hex("key").length != 32 || c.hex("iv").length != 12 || c.hex("tag").length != 16) {
                continue;
            }
            checked++;
            byte[] sealed = java.nio.ByteBuffer.allocate(c.hex("ct").length + 16).put(c.hex("ct")).put(c.hex("tag"))
                    .array();
            try (SessionKey key = token.openSessionKey(KeyAlgorithm.AES_256, SecretBytes.copyFrom(c.hex("key")))) {
                if (c.result() == WycheproofCase.Result.VALID) {
                    if (!java.util.Arrays.equals(sealed, key.encrypt(c.hex("iv"), c.hex("msg"), c.hex("aad")))
                            || !java.util.Arrays.equals(c.hex("msg"), key.decrypt(c.hex("iv"), sealed, c.hex("aad")))) {
                        failures.add(c + ": wrong bytes");
                    }
                } else {
                    try {
                        key.decrypt(c.hex("iv"), sealed, c.hex("aad"));
                        failures.add(c + ": accepted");
                    } catch (UnauthenticCiphertextException expected) {
                        // refused as bad input, not as a failing token
                    }
                }
            }
        }
        assertTrue(checked >= 60, "too few cases of the session shape: " + checked);
        assertEquals(List.of(), failures);
    }

    @Test
    void sessionAesKey_refusesAlteredCiphertextAadIvOrKey() throws Exception {
        byte[] iv = random(12);
        byte[] aad = "tenant=7".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (SessionKey key = token.openSessionKey(KeyAlgorithm.AES_256, randomShare(32));
                SessionKey other = token.openSessionKey(KeyAlgorithm.AES_256, randomShare(32))) {
            byte[] sealed = key.encrypt(iv, random(40), aad);
            byte[] flipped = sealed.clone();
            flipped[RANDOM.nextInt(flipped.length)] ^= 1;
            assertThrows(UnauthenticCiphertextException.class, () -> key.decrypt(iv, flipped, aad));
            assertThrows(UnauthenticCiphertextException.class, () -> key.decrypt(iv, sealed, new byte[0]));
            assertThrows(UnauthenticCiphertextException.class, () -> key.decrypt(random(12), sealed, aad));
            assertThrows(UnauthenticCiphertextException.class, () -> other.decrypt(iv, sealed, aad));
            assertThrows(UnauthenticCiphertextException.class, () -> key.decrypt(iv, new byte[15], aad));
            assertTrue(key.isOpen(), "a refused ciphertext leaves the key usable");
            assertEquals(40, key.decrypt(iv, sealed, aad).length);
        }
    }

    @Test
    void sessionP256Key_signaturesVerifyUnderItsPublicKey() throws Exception {
        SecretBytes d = P256.generatePrivateKey(RANDOM);
        byte[] publicKey = P256.publicKeyOf(d);
        try (SessionKey key = token.openSessionKey(KeyAlgorithm.EC_P256, d)) {
            byte[] message = random(100);
            byte[] signature = key.sign(message);
            EcdsaP256.verify(publicKey, message, signature);
            message[0] ^= 1;
            assertThrows(dev.keyescrow.core.error.SignatureException.class,
                    () -> EcdsaP256.verify(publicKey, message, signature));
        }
    }

    @Test
    void sessionEd25519Key_signsExactlyAsRfc8032() throws Exception {
        SecretBytes seed = Ed25519.generatePrivateKey(RANDOM);
        byte[] message = random(77);
        byte[] expected = Ed25519.sign(seed, message);
        try (SessionKey key = token.openSessionKey(KeyAlgorithm.ED25519, seed)) {
            byte[] signature = key.sign(message);
            assertArrayEquals(expected, signature, "Ed25519 is deterministic: the token must agree with RFC 8032");
            Ed25519.verify(Ed25519.publicKeyOf(seed), message, signature);
        }
    }

    @Test
    void sessionKey_isIndependentOfTheCallersBytes() throws Exception {
        byte[] raw = random(32);
        SecretBytes given = SecretBytes.copyFrom(raw);
        try (SessionKey key = token.openSessionKey(KeyAlgorithm.AES_256, given)) {
            given.destroy();
            byte[] iv = random(12);
            assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, raw, iv, new byte[0], new byte[5]),
                    key.encrypt(iv, new byte[5], new byte[0]), "the key still works after the caller zeroed its copy");
        }
    }

    @Test
    void closedSessionKey_refusesEveryOperation() throws Exception {
        SessionKey aes = token.openSessionKey(KeyAlgorithm.AES_256, randomShare(32));
        SessionKey ec = token.openSessionKey(KeyAlgorithm.EC_P256, P256.generatePrivateKey(RANDOM));
        byte[] iv = random(12);
        byte[] sealed = aes.encrypt(iv, new byte[3], new byte[0]);
        aes.close();
        ec.close();
        aes.close(); // idempotent
        assertFalse(aes.isOpen());
        assertFalse(ec.isOpen());
        assertThrows(IllegalStateException.class, () -> aes.encrypt(iv, new byte[3], new byte[0]));
        assertThrows(IllegalStateException.class, () -> aes.decrypt(iv, sealed, new byte[0]));
        assertThrows(IllegalStateException.class, () -> ec.sign(new byte[3]));
    }

    @Test
    void sessionKey_refusesWrongLengthsAndOperationsOfAnotherAlgorithm() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> token.openSessionKey(KeyAlgorithm.AES_256, randomShare(16)));
        try (SessionKey aes = token.openSessionKey(KeyAlgorithm.AES_256, randomShare(32));
                SessionKey ed = token.openSessionKey(KeyAlgorithm.ED25519, randomShare(32))) {
            assertThrows(IllegalStateException.class, () -> aes.sign(new byte[1]));
            assertThrows(IllegalStateException.class, () -> ed.encrypt(random(12), new byte[1], new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> aes.encrypt(random(16), new byte[1], new byte[0]));
            assertTrue(aes.isOpen());
        }
    }
}
