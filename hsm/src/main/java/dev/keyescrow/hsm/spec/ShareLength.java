package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import java.util.Arrays;

/**
 * The length rule of {@code docs/spec/kdf.md}: SoftHSM2 2.6 hands back an odd-length
 * RFC 5649 value zero-padded to a multiple of 8, so an unwrapped value may be up to 7
 * bytes longer than the share's recorded length, and those bytes must be zero.
 */
public final class ShareLength {
    private ShareLength() {
    }

    /** The first {@code length} bytes of {@code unwrapped} (which is destroyed) after checking the padding. */
    public static SecretBytes trim(SecretBytes unwrapped, int length) throws CorruptBlobException {
        try (unwrapped) {
            int extra = unwrapped.length() - length;
            if (extra == 0) {
                return SecretBytes.moveFrom(unwrapped.toByteArray(SecretAccess.plaintext()));
            }
            if (extra < 0 || extra >= 8) {
                throw new CorruptBlobException("unwrapped value does not have the share's length");
            }
            byte[] raw = unwrapped.toByteArray(SecretAccess.plaintext());
            try {
                int tail = 0;
                for (int i = length; i < raw.length; i++) {
                    tail |= raw[i];
                }
                if (tail != 0) {
                    throw new CorruptBlobException("unwrapped value does not have the share's length");
                }
                return SecretBytes.copyFrom(raw, 0, length);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }
}
