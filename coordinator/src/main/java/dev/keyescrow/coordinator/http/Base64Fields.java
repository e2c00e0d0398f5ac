package dev.keyescrow.coordinator.http;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import java.util.Base64;

/**
 * Strict base64 for body fields (RFC 4648 §4, padded, canonical: re-encoding gives the same
 * text), so one value has one spelling. Messages name the field, never the value.
 */
final class Base64Fields {
    private Base64Fields() {
    }

    static byte[] decode(String value, String field) throws RefusedException {
        if (value == null) {
            throw new RefusedException(RefusalReason.MALFORMED, field + " is required");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, field + " must be standard base64 with padding");
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(value)) {
            throw new RefusedException(RefusalReason.MALFORMED, field + " is not canonical base64");
        }
        return bytes;
    }

    static byte[] decode(String value, String field, int length) throws RefusedException {
        byte[] bytes = decode(value, field);
        if (bytes.length != length) {
            throw new RefusedException(RefusalReason.MALFORMED, field + " must hold " + length + " bytes, got "
                    + bytes.length);
        }
        return bytes;
    }

    /** An optional field: null stays null. */
    static byte[] optional(String value, String field) throws RefusedException {
        return value == null ? null : decode(value, field);
    }

    static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
