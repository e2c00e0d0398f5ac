package dev.keyescrow.bench;

import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times {@link Shamir#combine} of exactly 3 shares of a 32-byte 3-of-5 split.
 *
 * <p>Two variants. {@link #secretZero}: class 0 is shares of an all-zero secret, class 1 of a
 * random secret, as the issue asks; the other coefficients are random in both, so the share
 * values look alike and only the reconstructed secret differs. {@link #sharesZero}: class 0 is
 * the all-zero polynomial (every share value zero), a harsher probe of data-dependent timing
 * in the arithmetic itself.
 */
final class CombineProbe implements TimingProbe {
    private static final int LENGTH = 32;
    private static final int THRESHOLD = 3;
    private static final int SHARES = 5;

    private final String name;
    private final SwitchableRandom source;
    private final Shamir shamir;
    private final boolean zeroShares;
    private final List<List<Share>> slots;

    private CombineProbe(String name, boolean zeroShares, int slotCount) {
        this.name = name;
        this.source = new SwitchableRandom(Drbg.create());
        this.shamir = new Shamir(source);
        this.zeroShares = zeroShares;
        this.slots = new ArrayList<>(Collections.nCopies(slotCount, null));
    }

    static CombineProbe secretZero(int slots) {
        return new CombineProbe("Shamir.combine (core), zero secret vs random secret", false, slots);
    }

    static CombineProbe sharesZero(int slots) {
        return new CombineProbe("Shamir.combine (core), zero shares vs random shares", true, slots);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepare(int slot, int sampleClass, SplittableRandom random) {
        byte[] secret = new byte[LENGTH];
        if (sampleClass == 1) {
            random.nextBytes(secret);
        }
        source.zeroing = sampleClass == 0 && zeroShares;
        List<Share> previous = slots.get(slot);
        if (previous != null) {
            previous.forEach(Share::destroy);
        }
        try (SecretBytes value = SecretBytes.copyFrom(secret)) {
            slots.set(slot, List.copyOf(shamir.split(value, THRESHOLD, SHARES).subList(0, THRESHOLD)));
        }
    }

    @Override
    public int run(int slot) {
        try (SecretBytes secret = Shamir.combine(slots.get(slot))) {
            return secret.length();
        } catch (SharingException e) {
            throw new IllegalStateException("shares prepared for the timing report did not combine", e);
        }
    }

    /**
     * The DRBG, whose output can be replaced by zeros (then a split's coefficients, and so all
     * shares of a zero secret, are zero). It draws from the DRBG either way, so both classes are
     * prepared by the same code, allocating the same: only the values differ.
     */
    private static final class SwitchableRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final SecureRandom drbg;
        private boolean zeroing;

        SwitchableRandom(SecureRandom drbg) {
            this.drbg = drbg;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            drbg.nextBytes(bytes);
            if (zeroing) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }
}
