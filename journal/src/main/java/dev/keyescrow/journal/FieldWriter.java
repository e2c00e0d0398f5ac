package dev.keyescrow.journal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the fixed-width big-endian fields that {@link FieldReader} reads back. */
final class FieldWriter {
    private final ByteArrayOutputStream out;

    FieldWriter(int expectedSize) {
        this.out = new ByteArrayOutputStream(expectedSize);
    }

    FieldWriter u8(int value) {
        out.write(value);
        return this;
    }

    FieldWriter u32(long value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    FieldWriter u64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    FieldWriter bytes(byte[] value) {
        out.write(value, 0, value.length);
        return this;
    }

    FieldWriter identifier(String id) {
        byte[] raw = id.getBytes(StandardCharsets.US_ASCII);
        return u8(raw.length).bytes(raw);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
