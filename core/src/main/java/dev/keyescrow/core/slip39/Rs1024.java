package dev.keyescrow.core.slip39;

/**
 * The RS1024 checksum of SLIP-0039: a Reed-Solomon code over GF(1024) that detects every
 * error in up to three words, seeded with a customization string so that shares of other
 * schemes (or extendable and non-extendable shares) never pass each other's check.
 *
 * <p>The input words are secret, so the generator terms are selected with masks rather than
 * the reference's {@code if}: the work is the same for every mnemonic.
 */
final class Rs1024 {
    static final int CHECKSUM_WORDS = 3;

    private static final int[] GENERATOR = {
        0xE0E040, 0x1C1C080, 0x3838100, 0x7070200, 0xE0E0009,
        0x1C0C2412, 0x38086C24, 0x3090FC48, 0x21B1F890, 0x3F3F120,
    };

    private Rs1024() {
    }

    /** True if the last three of {@code words} are the checksum of the words before them. */
    static boolean verify(byte[] customization, int[] words) {
        int chk = start(customization);
        chk = feed(chk, words, words.length);
        return chk == 1;
    }

    /** Fills the last three of {@code words} with the checksum of the words before them. */
    static void fill(byte[] customization, int[] words) {
        int data = words.length - CHECKSUM_WORDS;
        int chk = feed(start(customization), words, data);
        for (int i = 0; i < CHECKSUM_WORDS; i++) {
            chk = step(chk, 0);
        }
        chk ^= 1;
        for (int i = 0; i < CHECKSUM_WORDS; i++) {
            words[data + i] = (chk >>> (10 * (CHECKSUM_WORDS - 1 - i))) & 0x3FF;
        }
    }

    private static int start(byte[] customization) {
        int chk = 1;
        for (byte b : customization) {
            chk = step(chk, b & 0xFF);
        }
        return chk;
    }

    private static int feed(int chk, int[] words, int count) {
        for (int i = 0; i < count; i++) {
            chk = step(chk, words[i]);
        }
        return chk;
    }

    private static int step(int chk, int value) {
        int top = chk >>> 20;
        chk = ((chk & 0xFFFFF) << 10) ^ value;
        for (int i = 0; i < GENERATOR.length; i++) {
            chk ^= -((top >>> i) & 1) & GENERATOR[i];
        }
        return chk;
    }
}
