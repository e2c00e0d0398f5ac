package dev.keyescrow.hsm;

import java.util.Objects;

/**
 * A released share: AES-KWP of the share under the KEK derived for one request (only the
 * holder of that request's ephemeral private key can open it), and the signed release
 * statement binding it to the request, the node and the share.
 */
public final class Release {
    private final byte[] wrapped;
    private final SignedStatement statement;

    public Release(byte[] wrapped, SignedStatement statement) {
        this.wrapped = Objects.requireNonNull(wrapped, "wrapped").clone();
        this.statement = Objects.requireNonNull(statement, "statement");
    }

    public byte[] wrapped() {
        return wrapped.clone();
    }

    public SignedStatement statement() {
        return statement;
    }

    @Override
    public String toString() {
        return "Release[" + wrapped.length + " wrapped bytes]";
    }
}
