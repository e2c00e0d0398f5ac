package dev.keyescrow.journal.blob;

import java.util.Arrays;

/**
 * One frame of a generation file, version 1: {@code 0x01 ‖ op ‖ id (32 bytes) ‖ bytes}, where
 * op is {@code 0x01} PUT (bytes = the blob) or {@code 0x02} DELETE (no bytes). A DELETE is a
 * tombstone: the PUT's bytes stay in the file until the next compaction.
 */
record BlobEntry(int op, BlobId id, byte[] bytes) {
    static final int VERSION = 1;
    static final int PUT = 1;
    static final int DELETE = 2;
    /** Offset of the blob bytes inside a frame. */
    static final int HEADER = 1 + 1 + 32;

    static byte[] encodePut(BlobId id, byte[] bytes) {
        byte[] frame = new byte[HEADER + bytes.length];
        frame[0] = VERSION;
        frame[1] = PUT;
        System.arraycopy(id.raw(), 0, frame, 2, 32);
        System.arraycopy(bytes, 0, frame, HEADER, bytes.length);
        return frame;
    }

    static byte[] encodeDelete(BlobId id) {
        byte[] frame = new byte[HEADER];
        frame[0] = VERSION;
        frame[1] = DELETE;
        System.arraycopy(id.raw(), 0, frame, 2, 32);
        return frame;
    }

    static BlobEntry decode(byte[] frame, long offset) throws DamagedBlobStoreException {
        if (frame.length < HEADER || frame[0] != VERSION) {
            throw new DamagedBlobStoreException("blob entry at byte " + offset + " has an unknown version or is too short");
        }
        int op = frame[1];
        if (op != PUT && op != DELETE || op == DELETE && frame.length != HEADER) {
            throw new DamagedBlobStoreException("blob entry at byte " + offset + " has an unknown operation or trailing bytes");
        }
        BlobId id = BlobId.fromRaw(Arrays.copyOfRange(frame, 2, HEADER));
        return new BlobEntry(op, id, op == PUT ? Arrays.copyOfRange(frame, HEADER, frame.length) : new byte[0]);
    }
}
