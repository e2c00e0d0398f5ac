package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.ShareBlob;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.SignedStatement;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.Statements;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link EpochRotation} of a PKCS#11 token: re-wraps inside the token and signs the shred
 * receipt with the token's identity key.
 */
final class Pkcs11Rotation implements EpochRotation {
    private final EpochKeks keks;
    private final ShareWrapping shares;
    private final Pkcs11IdentitySigner identity;
    private final String nodeId;
    private final long from;
    private final long to;
    private boolean finished;

    Pkcs11Rotation(EpochKeks keks, ShareWrapping shares, Pkcs11IdentitySigner identity, String nodeId, long from) {
        this.keks = keks;
        this.shares = shares;
        this.identity = identity;
        this.nodeId = nodeId;
        this.from = from;
        this.to = from + 1;
    }

    @Override
    public long fromEpoch() {
        return from;
    }

    @Override
    public long toEpoch() {
        return to;
    }

    @Override
    public List<StoredShare> rewrap(List<StoredShare> survivors) throws CorruptBlobException, TokenFailureException {
        requireOpen();
        long kek = keks.handle(to);
        List<StoredShare> out = new ArrayList<>(survivors.size());
        for (StoredShare stored : survivors) {
            out.add(new StoredShare(stored.ref(), ShareBlob.of(to, shares.rewrap(stored, kek))));
        }
        return out;
    }

    @Override
    public SignedStatement commit(List<ShareRef> destroyed) throws TokenFailureException {
        requireOpen();
        Objects.requireNonNull(destroyed, "destroyed");
        keks.commitRotation(from);
        finished = true;
        byte[] statement = Statements.shredReceipt(nodeId, to, destroyed);
        return new SignedStatement(statement, identity.signStatement(statement));
    }

    @Override
    public void close() throws TokenFailureException {
        if (finished) {
            return;
        }
        finished = true;
        keks.abortRotation(to);
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("this rotation is already committed or aborted");
        }
    }
}
