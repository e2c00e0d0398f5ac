package dev.keyescrow.hsm;

import java.util.Objects;

/**
 * Statement bytes ({@code docs/spec/import-release.md}) and the token identity key's
 * 64-byte ECDSA P-256 signature over them; verified with
 * {@link dev.keyescrow.core.signature.EcdsaP256#verify}. Public.
 */
public final class SignedStatement {
    private final byte[] statement;
    private final byte[] signature;

    public SignedStatement(byte[] statement, byte[] signature) {
        this.statement = Objects.requireNonNull(statement, "statement").clone();
        this.signature = Objects.requireNonNull(signature, "signature").clone();
    }

    public byte[] statement() {
        return statement.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "SignedStatement[" + statement.length + " bytes]";
    }
}
