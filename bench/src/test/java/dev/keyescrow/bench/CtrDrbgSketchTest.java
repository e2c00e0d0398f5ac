package dev.keyescrow.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The sketch's figures only mean something if it does a CTR_DRBG's whole work: its output must
 * match SP 800-90A's CTR_DRBG (AES-256, no derivation function) written block by block on AES/ECB.
 */
class CtrDrbgSketchTest {
    @Test
    void itsOutputIsTheStandardsBlockByBlockConstruction() throws Exception {
        Random seeds = new Random(20261205);
        for (int trial = 0; trial < 5; trial++) {
            byte[] seed = new byte[48];
            seeds.nextBytes(seed);
            CtrDrbgSketch sketch = new CtrDrbgSketch(seed.clone());
            Reference reference = new Reference(seed);
            for (int length : new int[] {1, 8, 16, 17, 64, 72, 136, 65_536, 70_000}) {
                byte[] fromSketch = new byte[length];
                sketch.nextBytes(fromSketch);
                assertArrayEquals(reference.generate(length), fromSketch, "draw of " + length + " bytes");
            }
        }
    }

    /**
     * NIST CAVP (public domain), drbgvectors_no_reseed/CTR_DRBG.rsp, [AES-256 no df],
     * PredictionResistance False, no nonce, personalization or additional input, COUNT = 0:
     * instantiate from EntropyInput, generate 512 bits twice, the second is ReturnedBits.
     */
    @Test
    void itAnswersNistsKnownAnswerTest() {
        CtrDrbgSketch sketch = new CtrDrbgSketch(HexFormat.of().parseHex("df5d73faa468649edda33b5cca79b0b0"
                + "5600419ccb7a879ddfec9db32ee494e5531b51de16a30f769262474c73bec010"));
        byte[] returned = new byte[64];
        sketch.nextBytes(returned);
        sketch.nextBytes(returned);
        assertArrayEquals(HexFormat.of().parseHex("d1c07cd95af8a7f11012c84ce48bb8cb87189e99d40fccb1771c619bdf82ab22"
                + "80b1dc2f2581f39164f7ac0c510494b3a43c41b7db17514c87b107ae793e01c5"), returned);
    }

    /** CTR_DRBG_Update and CTR_DRBG_Generate_algorithm of SP 800-90A Rev. 1, 10.2.1, one block at a time. */
    private static final class Reference {
        private byte[] key = new byte[32];
        private byte[] v = new byte[16];

        Reference(byte[] seed) throws Exception {
            update(seed);
        }

        byte[] generate(int length) throws Exception {
            byte[] out = new byte[length];
            for (int done = 0; done < length; done += 65_536) {
                byte[] part = blocks(Math.min(65_536, length - done));
                System.arraycopy(part, 0, out, done, part.length);
                update(new byte[48]);
            }
            return out;
        }

        private void update(byte[] provided) throws Exception {
            byte[] temp = blocks(48);
            for (int i = 0; i < 48; i++) {
                temp[i] ^= provided[i];
            }
            key = Arrays.copyOfRange(temp, 0, 32);
            v = Arrays.copyOfRange(temp, 32, 48);
        }

        private byte[] blocks(int length) throws Exception {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            byte[] temp = new byte[(length + 15) / 16 * 16];
            for (int at = 0; at < temp.length; at += 16) {
                for (int i = 15; i >= 0 && ++v[i] == 0; i--) {
                    // carry into the next byte
                }
                ecb.doFinal(v, 0, 16, temp, at);
            }
            return Arrays.copyOf(temp, length);
        }
    }
}
