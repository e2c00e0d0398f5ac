package dev.keyescrow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.CancelMessage;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;

/**
 * The cluster messages, as the node's and the coordinator's cluster bridges decode what a
 * member put in the maps: each is refused with {@link FormatException} (which the bridges
 * catch and log), or decoded and re-encoded to the same bytes.
 */
class WireMessageFuzzTest {
    private interface Decoder {
        byte[] decodeAndEncode(byte[] input) throws FormatException;
    }

    private static void check(Decoder decoder, byte[] input) {
        byte[] again;
        try {
            again = decoder.decodeAndEncode(input);
        } catch (FormatException refused) {
            return;
        }
        assertArrayEquals(input, again);
    }

    @FuzzTest
    void manifest(byte[] input) {
        check(b -> ManifestMessage.decode(b).encode(), input);
    }

    @FuzzTest
    void request(byte[] input) {
        check(b -> SignedRequestMessage.decode(b).encode(), input);
    }

    /** An approval or denial, as a node publishes it. */
    @FuzzTest
    void answer(byte[] input) {
        check(b -> AnswerMessage.decode(b).encode(), input);
    }

    @FuzzTest
    void cancel(byte[] input) {
        check(b -> CancelMessage.decode(b).encode(), input);
    }

    @FuzzTest
    void importShare(byte[] input) {
        check(b -> ImportMessage.decode(b).encode(), input);
    }

    @FuzzTest
    void importReceipt(byte[] input) {
        check(b -> ImportReceiptMessage.decode(b).encode(), input);
    }

    @FuzzTest
    void release(byte[] input) {
        check(b -> ReleaseMessage.decode(b).encode(), input);
    }

    @FuzzTest
    void shredReceipt(byte[] input) {
        check(b -> ShredReceiptMessage.decode(b).encode(), input);
    }
}
