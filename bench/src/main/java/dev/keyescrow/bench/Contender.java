package dev.keyescrow.bench;

import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One library's split and combine of a chunked secret, behind one interface so the split and
 * combine benchmarks treat all libraries alike.
 *
 * <p>Construction (in JMH's setup, untimed) splits every chunk once and keeps exactly
 * threshold shares (x = 1..t) per chunk for the combine benchmark; {@link #check()} makes sure
 * those shares really give the secret back, so a fast row cannot be a wrong one.
 */
abstract class Contender {
    protected final Shape shape;
    protected final byte[][] chunks;

    Contender(Shape shape, byte[][] chunks) {
        this.shape = shape;
        this.chunks = chunks;
    }

    /** Splits every chunk into shareCount shares with fresh randomness. */
    abstract void split(Blackhole blackhole);

    /** Combines the pre-split threshold shares of every chunk. */
    abstract void combine(Blackhole blackhole);

    /** The secret of one chunk, combined from its pre-split shares. */
    abstract byte[] combineChunk(int chunk);

    final void check() {
        for (int c = 0; c < chunks.length; c++) {
            if (!Arrays.equals(combineChunk(c), chunks[c])) {
                throw new IllegalStateException(getClass().getSimpleName() + " did not reconstruct chunk " + c
                        + " of " + shape);
            }
        }
    }
}
