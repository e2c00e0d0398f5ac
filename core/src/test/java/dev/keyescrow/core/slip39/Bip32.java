package dev.keyescrow.core.slip39;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test-only: the BIP-32 master extended private key (xprv, Base58Check) of a seed, to check the
 * fourth field of the official vectors: an independent confirmation that the recovered bytes
 * are the intended master secret.
 */
final class Bip32 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private Bip32() {
    }

    static String xprv(SecretBytes seed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec("Bitcoin seed".getBytes(StandardCharsets.US_ASCII), "HmacSHA512"));
            byte[] i = mac.doFinal(seed.toByteArray(SecretAccess.plaintext()));
            byte[] payload = new byte[78];
            payload[0] = 0x04;
            payload[1] = (byte) 0x88;
            payload[2] = (byte) 0xAD;
            payload[3] = (byte) 0xE4;
            // depth 0, parent fingerprint 0, child number 0: bytes 4..12 stay zero
            System.arraycopy(i, 32, payload, 13, 32);
            payload[45] = 0;
            System.arraycopy(i, 0, payload, 46, 32);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] check = sha.digest(sha.digest(payload));
            byte[] full = Arrays.copyOf(payload, 82);
            System.arraycopy(check, 0, full, 78, 4);
            return base58(full);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base58(byte[] bytes) {
        BigInteger n = new BigInteger(1, bytes);
        StringBuilder out = new StringBuilder();
        BigInteger radix = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(radix);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int k = 0; k < bytes.length && bytes[k] == 0; k++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
