package dev.keyescrow.bench;

import com.codahale.shamir.Scheme;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * codahale/shamir 0.7.0: log/exp tables and one {@code nextBytes} call per secret byte, so
 * not constant-time; a reference point only. Chunked like the others although it has no size
 * limit, so that every row does the same calls.
 */
final class CodahaleContender extends Contender {
    private final Scheme scheme;
    private final Map<Integer, byte[]>[] chosen;

    CodahaleContender(Shape shape, SecureRandom random, byte[][] chunks) {
        super(shape, chunks);
        this.scheme = new Scheme(random, shape.shareCount(), shape.threshold());
        this.chosen = newMapArray(chunks.length);
        for (int c = 0; c < chunks.length; c++) {
            Map<Integer, byte[]> all = scheme.split(chunks[c]);
            Map<Integer, byte[]> some = new HashMap<>();
            for (int x = 1; x <= shape.threshold(); x++) {
                some.put(x, all.get(x));
            }
            chosen[c] = some;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, byte[]>[] newMapArray(int length) {
        return (Map<Integer, byte[]>[]) new Map<?, ?>[length];
    }

    @Override
    void split(Blackhole blackhole) {
        for (byte[] chunk : chunks) {
            blackhole.consume(scheme.split(chunk));
        }
    }

    @Override
    void combine(Blackhole blackhole) {
        for (Map<Integer, byte[]> shares : chosen) {
            blackhole.consume(scheme.join(shares));
        }
    }

    @Override
    byte[] combineChunk(int chunk) {
        return scheme.join(chosen[chunk]);
    }
}
