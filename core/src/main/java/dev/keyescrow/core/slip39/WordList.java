package dev.keyescrow.core.slip39;

import dev.keyescrow.core.error.BugException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SLIP-0039 word list: 1024 words of 4 to 8 lowercase letters, word i encoding the 10-bit
 * value i.
 *
 * <p>Loaded once from the class path and checked against a pinned SHA-256, so a damaged or
 * substituted resource stops the program instead of writing backups nobody else can read.
 *
 * <p>The words of a mnemonic are its secret, so neither direction uses a hash map or an array
 * indexed by a word value: each word is packed into a {@code long} (one letter per byte) and
 * every lookup scans all 1024 entries with masks, the same work for every input. Only a word's
 * length, which the written mnemonic shows anyway, steers control flow.
 */
final class WordList {
    static final int SIZE = 1024;
    static final int MIN_WORD_LENGTH = 4;
    static final int MAX_WORD_LENGTH = 8;

    /** SHA-256 of {@code slip39-wordlist.txt} (1024 lines, each ending in LF). */
    private static final String SHA256 = "bcc4555340332d169718aed8bf31dd9d5248cb7da6e5d355140ef4f1e601eec3";
    private static final String RESOURCE = "slip39-wordlist.txt";

    private final long[] packed;

    private WordList(long[] packed) {
        this.packed = packed;
    }

    /** The standard list. */
    static WordList standard() {
        return Holder.STANDARD;
    }

    private static final class Holder {
        static final WordList STANDARD = load();
    }

    /**
     * The index of the word in {@code text[from, to)}, compared without regard to case, or -1
     * if it is not in the list.
     */
    int indexOf(char[] text, int from, int to) {
        int length = to - from;
        if (length < MIN_WORD_LENGTH || length > MAX_WORD_LENGTH) {
            return -1;
        }
        long key = 0;
        int bad = 0;
        for (int i = from; i < to; i++) {
            int c = text[i];
            int upper = (((c - 'A') | ('Z' - c)) >>> 31) ^ 1;
            c |= upper << 5;
            bad |= ((c - 'a') | ('z' - c)) >>> 31;
            key = (key << 8) | (c & 0xFF);
        }
        key <<= 8 * (MAX_WORD_LENGTH - length);
        int found = 0;
        int index = 0;
        for (int i = 0; i < SIZE; i++) {
            int equal = isZero(packed[i] ^ key);
            found |= equal;
            index |= -equal & i;
        }
        int valid = found & (bad ^ 1);
        return (index & -valid) | (valid - 1);
    }

    /** Writes word {@code index} at {@code offset} and returns the number of letters written. */
    int write(int index, char[] out, int offset) {
        if (index < 0 || index >= SIZE) {
            throw new IllegalArgumentException("word index " + index + " is outside [0, 1023]");
        }
        long word = 0;
        for (int i = 0; i < SIZE; i++) {
            word |= -(long) isZero(i ^ index) & packed[i];
        }
        int written = 0;
        for (int shift = 8 * (MAX_WORD_LENGTH - 1); shift >= 0; shift -= 8) {
            char c = (char) ((word >>> shift) & 0xFF);
            if (c != 0) {
                out[offset + written++] = c;
            }
        }
        return written;
    }

    /** 1 if {@code v} is 0, else 0, without a branch. */
    private static int isZero(long v) {
        return (int) (((v | -v) >>> 63) ^ 1);
    }

    private static WordList load() {
        byte[] raw;
        try (InputStream in = WordList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new BugException("the SLIP-0039 word list " + RESOURCE + " is missing from the class path");
            }
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw new BugException("cannot read the SLIP-0039 word list", e);
        }
        try {
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
            if (!actual.equals(SHA256)) {
                throw new BugException("the SLIP-0039 word list on the class path is not the standard one (SHA-256 "
                        + actual + ")");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK provides no SHA-256", e);
        }
        String[] words = new String(raw, StandardCharsets.US_ASCII).split("\n");
        if (words.length != SIZE) {
            throw new BugException("the SLIP-0039 word list has " + words.length + " words, not " + SIZE);
        }
        long[] packed = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            long key = 0;
            for (int k = 0; k < words[i].length(); k++) {
                key = (key << 8) | words[i].charAt(k);
            }
            packed[i] = key << 8 * (MAX_WORD_LENGTH - words[i].length());
        }
        return new WordList(packed);
    }
}
