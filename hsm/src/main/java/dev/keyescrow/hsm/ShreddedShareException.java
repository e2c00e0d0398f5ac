package dev.keyescrow.hsm;

/**
 * A stored blob names an epoch whose KEK no longer exists in the token: the share was
 * crypto-shredded (or the blob predates a rotation it was not carried through). Nothing
 * in the token can open it; this is the expected answer after DESTROY.
 */
public final class ShreddedShareException extends CorruptBlobException {
    public ShreddedShareException(String message) {
        super(message);
    }
}
