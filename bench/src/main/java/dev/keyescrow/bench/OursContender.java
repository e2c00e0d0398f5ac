package dev.keyescrow.bench;

import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The core through its public API, {@link Shamir}: what callers pay, SecretBytes copies,
 * zeroing and share validation included. The secret is wrapped in {@link SecretBytes} during
 * setup, since that is the form callers hold it in (the other libraries take a plain array).
 */
final class OursContender extends Contender {
    private final Shamir shamir;
    private final SecretBytes[] secrets;
    private final List<List<Share>> chosen;

    OursContender(Shape shape, SecureRandom random, byte[][] chunks) {
        super(shape, chunks);
        this.shamir = new Shamir(random);
        this.secrets = new SecretBytes[chunks.length];
        this.chosen = new ArrayList<>(chunks.length);
        for (int c = 0; c < chunks.length; c++) {
            secrets[c] = SecretBytes.copyFrom(chunks[c]);
            List<Share> all = shamir.split(secrets[c], shape.threshold(), shape.shareCount());
            chosen.add(List.copyOf(all.subList(0, shape.threshold())));
        }
    }

    @Override
    void split(Blackhole blackhole) {
        for (SecretBytes secret : secrets) {
            blackhole.consume(shamir.split(secret, shape.threshold(), shape.shareCount()));
        }
    }

    @Override
    void combine(Blackhole blackhole) {
        for (List<Share> shares : chosen) {
            blackhole.consume(combine(shares));
        }
    }

    @Override
    byte[] combineChunk(int chunk) {
        try (SecretBytes secret = combine(chosen.get(chunk))) {
            return secret.toByteArray(SecretAccess.plaintext());
        }
    }

    private static SecretBytes combine(List<Share> shares) {
        try {
            return Shamir.combine(shares);
        } catch (SharingException e) {
            throw new IllegalStateException("pre-split shares did not combine", e);
        }
    }
}
