package dev.keyescrow.core.frost;

import java.util.List;

/**
 * The output of a trusted-dealer split: one key share per participant (secret, for that
 * participant only), the Feldman commitment and the public key package (public).
 */
public record DealerSplit(List<KeyShare> shares, VssCommitment commitment, PublicKeyPackage publicKeyPackage)
        implements AutoCloseable {
    public DealerSplit {
        shares = List.copyOf(shares);
    }

    @Override
    public void close() {
        shares.forEach(KeyShare::close);
    }

    @Override
    public String toString() {
        return "DealerSplit[" + shares.size() + " shares, " + publicKeyPackage + "]";
    }
}
