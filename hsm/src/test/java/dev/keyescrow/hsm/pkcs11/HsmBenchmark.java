package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareBlob;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.KekDerivation;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;
import org.xipki.pkcs11.wrapper.params.KEY_DERIVATION_STRING_DATA;

/**
 * Token-layer benchmark on SoftHSM2 (not a test; Surefire does not run it): the cost of
 * each primitive, release latency and throughput with 1,000 and 1,000,000 shares held,
 * and the time of an epoch rotation over 1,000,000 shares. A plain timing harness, not
 * JMH: PKCS#11 calls are 10-1000 µs, far above timer resolution and JIT effects after a
 * warm-up. Shares held are blobs in memory (the caller's store), as in production; the
 * token holds the same five objects whatever the count.
 *
 * <p>Run with {@code SOFTHSM2_CONF} pointing at a configuration whose token directory
 * exists and is not used by a concurrent test run; arguments: the held counts
 * (default {@code 1000 1000000}).
 */
public final class HsmBenchmark {
    private static final SecureRandom RANDOM = new SecureRandom();

    private HsmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0 ? new int[] {1_000, 1_000_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        SoftHsm2.FreshToken fresh = SoftHsm2.freshToken("bench");
        Pkcs11Token token = Pkcs11Token.provision(SoftHsm2.module(), fresh.settings("node-bench"));
        System.out.println("module: " + Pkcs11Modules.describe(SoftHsm2.module()));
        primitives(token);
        List<StoredShare> held = new ArrayList<>();
        for (int count : counts) {
            grow(token, held, count);
            releaseLatency(token, held);
            releaseThroughput(token, held, 1);
            releaseThroughput(token, held, 4);
        }
        rotation(token, held);
        token.close();
        System.exit(0);
    }

    interface Op {
        void run() throws Exception;
    }

    private static void time(String name, int iterations, Op op) throws Exception {
        for (int i = 0; i < Math.max(200, iterations / 5); i++) {
            op.run();
        }
        long[] samples = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            op.run();
            samples[i] = System.nanoTime() - t0;
        }
        report(name, samples);
    }

    private static void report(String name, long[] samples) {
        Arrays.sort(samples);
        double mean = Arrays.stream(samples).average().orElse(0) / 1000.0;
        System.out.printf("%-48s n=%7d  mean %8.1f µs  p50 %8.1f µs  p99 %8.1f µs%n", name, samples.length, mean,
                samples[samples.length / 2] / 1000.0, samples[(int) (samples.length * 0.99)] / 1000.0);
    }

    private static void primitives(Pkcs11Token token) throws Exception {
        PKCS11Token p11 = token.wrapperToken();
        long kek = token.epochKekHandle(1);
        Mechanism kwp = new Mechanism(KeyWrapMechanism.AES_KEY_WRAP_PAD.code());
        ShareRef ref = new ShareRef("key-bench", 1, 1, 32);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        SecretBytes share = SecretBytes.moveFrom(raw);
        StoredShare stored = token.importShare(ref, ShareSender.wrapForImport(token.transportPublicKey(), ref, share,
                RANDOM)).stored();
        EphemeralKey requestKey = EphemeralKey.generate(RANDOM);
        byte[] e = requestKey.publicKey();
        byte[] digest = Statements.sha256(new byte[] {1});
        byte[] d = KekDerivation.derivationData(KekContext.forRelease("req-1", digest, ref), e, token.transportPublicKey());
        System.out.println("-- primitives on SoftHSM2 (one thread) --");
        time("ECDH derive (CKD_NULL) + destroy", 2000, () -> p11.destroyObject(p11.deriveKey(
                new Mechanism(Mechanisms.CKM_ECDH1_DERIVE, new ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null, e)),
                token.transportPrivateKeyHandle(), ObjectTemplates.sharedSecret())));
        long z = p11.deriveKey(new Mechanism(Mechanisms.CKM_ECDH1_DERIVE,
                new ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null, e)), token.transportPrivateKeyHandle(),
                ObjectTemplates.sharedSecret());
        time("AES_ECB_ENCRYPT_DATA derive + destroy", 2000, () -> p11.destroyObject(p11.deriveKey(
                new Mechanism(Mechanisms.CKM_AES_ECB_ENCRYPT_DATA, new KEY_DERIVATION_STRING_DATA(d)), z,
                ObjectTemplates.transportKek())));
        time("AES-KWP unwrap (0x210A) + destroy", 2000, () -> p11.destroyObject(
                p11.unwrapKey(kwp, kek, stored.blob().wrapped(), ObjectTemplates.share())));
        long shareHandle = p11.unwrapKey(kwp, kek, stored.blob().wrapped(), ObjectTemplates.share());
        time("AES-KWP wrap (0x210A)", 2000, () -> p11.wrapKey(kwp, kek, shareHandle));
        byte[] statement = Statements.release("req-1", digest, "node-bench", ref, new byte[40]);
        time("ECDSA P-256 sign (SHA-256 in Java, CKM_ECDSA)", 2000, () -> token.identity().sign(statement));
        time("corrupt-blob probe (gen + wrap + unwrap)", 1000, () -> token.tokenPassesProbe());
        time("release (end to end, token side)", 2000, () -> token.release(
                new ReleaseRequest("req-1", digest, e, stored)));
        List<byte[]> envelopes = new ArrayList<>();
        for (int i = 0; i < 1400; i++) {
            envelopes.add(ShareSender.wrapForImport(token.transportPublicKey(), ref, share, RANDOM));
        }
        int[] next = {0};
        time("import (end to end, token side)", 1000, () -> token.importShare(ref, envelopes.get(next[0]++)));
        time("software: ShareSender.wrapForImport", 1000, () -> ShareSender.wrapForImport(
                token.transportPublicKey(), ref, share, RANDOM));
        byte[] released = token.release(new ReleaseRequest("req-1", digest, e, stored)).wrapped();
        time("software: ReleaseOpener.open", 1000, () -> ReleaseOpener.open(requestKey, token.transportPublicKey(),
                "req-1", digest, ref, released).destroy());
        p11.destroyObject(shareHandle);
        p11.destroyObject(z);
    }

    /** Adds distinct shares until {@code count} are held: generated in the token, wrapped under the epoch KEK. */
    private static void grow(Pkcs11Token token, List<StoredShare> held, int count) throws Exception {
        PKCS11Token p11 = token.wrapperToken();
        Mechanism kwp = new Mechanism(KeyWrapMechanism.AES_KEY_WRAP_PAD.code());
        long kek = token.epochKekHandle(1);
        long t0 = System.nanoTime();
        int start = held.size();
        for (int i = held.size(); i < count; i++) {
            long k = p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), AttributeVector.newAESSecretKey()
                    .token(false).valueLen(32).sensitive(true).extractable(true));
            byte[] wrapped = p11.wrapKey(kwp, kek, k);
            p11.destroyObject(k);
            held.add(new StoredShare(new ShareRef("key-" + (i / 255), 1, 1 + i % 255, 32), ShareBlob.of(1, wrapped)));
        }
        System.out.printf("-- %,d shares held (added %,d in %.1f s; token objects: %d) --%n", held.size(),
                held.size() - start, (System.nanoTime() - t0) / 1e9,
                p11.findAllObjects(new AttributeVector().token(true)).length);
    }

    private static void releaseLatency(Pkcs11Token token, List<StoredShare> held) throws Exception {
        EphemeralKey requestKey = EphemeralKey.generate(RANDOM);
        byte[] e = requestKey.publicKey();
        byte[] digest = Statements.sha256(new byte[] {2});
        time("release latency, random share of " + held.size(), 3000, () -> token.release(new ReleaseRequest(
                "req-2", digest, e, held.get(ThreadLocalRandom.current().nextInt(held.size())))));
    }

    private static void releaseThroughput(Pkcs11Token token, List<StoredShare> held, int threads) throws Exception {
        byte[] e = EphemeralKey.generate(RANDOM).publicKey();
        byte[] digest = Statements.sha256(new byte[] {3});
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    token.release(new ReleaseRequest("req-3", digest, e,
                            held.get(ThreadLocalRandom.current().nextInt(held.size()))));
                    n++;
                }
                return n;
            }));
        }
        long seconds = 5;
        Thread.sleep(seconds * 1000);
        stop.set(true);
        long total = 0;
        for (Future<Long> f : results) {
            total += f.get();
        }
        pool.shutdown();
        System.out.printf("%-48s %8.0f releases/s%n", "release throughput, " + threads + " thread(s), "
                + held.size() + " held", total / (double) seconds);
    }

    private static void rotation(Pkcs11Token token, List<StoredShare> held) throws Exception {
        long t0 = System.nanoTime();
        List<StoredShare> rewrapped = new ArrayList<>(held.size());
        int batch = 1000;
        try (EpochRotation rotation = token.beginRotation()) {
            for (int i = 0; i < held.size(); i += batch) {
                rewrapped.addAll(rotation.rewrap(held.subList(i, Math.min(held.size(), i + batch))));
            }
            rotation.commit(List.of(held.get(0).ref()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("-- epoch rotation of %,d shares: %.1f s (%.1f µs per share), epochs now %s --%n",
                held.size(), seconds, seconds * 1e6 / held.size(), token.epochs());
    }
}
