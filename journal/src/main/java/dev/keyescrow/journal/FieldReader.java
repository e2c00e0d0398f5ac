package dev.keyescrow.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fixed-width big-endian fields of the journal formats, refusing to read past the
 * end and (through {@link #requireEnd}) refusing trailing bytes, so every format has exactly
 * one valid encoding per value.
 */
final class FieldReader {
    private final byte[] bytes;
    private final String what;
    private int position;

    FieldReader(byte[] bytes, String what) {
        this.bytes = bytes;
        this.what = what;
    }

    int position() {
        return position;
    }

    int u8(String field) throws JournalFormatException {
        need(1, field);
        return bytes[position++] & 0xff;
    }

    long u32(String field) throws JournalFormatException {
        need(4, field);
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (bytes[position++] & 0xff);
        }
        return value;
    }

    /** A 64-bit field that must be in [min, 2^63 - 1] (the top bit set is out of range). */
    long u63(String field, long min) throws JournalFormatException {
        need(8, field);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position++] & 0xff);
        }
        if (value < min) {
            throw new JournalFormatException(what + ": " + field + " " + Long.toUnsignedString(value)
                    + " is out of range: must be in [" + min + ", 2^63-1]");
        }
        return value;
    }

    byte[] bytes(int length, String field) throws JournalFormatException {
        need(length, field);
        byte[] out = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return out;
    }

    /** A length-prefixed (one byte) identifier {@code [a-z0-9][a-z0-9-]{0,63}}. */
    String identifier(String field) throws JournalFormatException {
        int length = u8(field + " length");
        if (length < 1 || length > 64) {
            throw new JournalFormatException(what + ": " + field + " length " + length + " is out of range: must be in [1, 64]");
        }
        byte[] raw = bytes(length, field);
        for (int i = 0; i < raw.length; i++) {
            int c = raw[i] & 0xff;
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!(alnum || (i > 0 && c == '-'))) {
                throw new JournalFormatException(what + ": " + field + " must match [a-z0-9][a-z0-9-]{0,63}");
            }
        }
        return new String(raw, StandardCharsets.US_ASCII);
    }

    void requireEnd() throws JournalFormatException {
        if (position != bytes.length) {
            throw new JournalFormatException(what + ": " + (bytes.length - position) + " trailing bytes after the signature");
        }
    }

    private void need(int length, String field) throws JournalFormatException {
        if (length < 0 || bytes.length - position < length) {
            throw new JournalFormatException(what + ": truncated in " + field + " (" + (bytes.length - position)
                    + " bytes left, " + length + " needed)");
        }
    }
}
