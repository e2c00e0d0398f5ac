package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenContract;
import dev.keyescrow.hsm.VaultKind;

/** The token contract on a fresh SoftHSM2 token per test. */
class Pkcs11TokenContractTest extends TokenContract {
    private SoftHsm2.FreshToken fresh;

    @Override
    protected Token provisionToken() throws Exception {
        fresh = SoftHsm2.freshToken("contract");
        return Pkcs11Token.provision(SoftHsm2.module(), fresh.settings(NODE));
    }

    @Override
    protected Token reopen(Token token) throws Exception {
        token.close();
        return Pkcs11Token.open(SoftHsm2.module(), fresh.settings(NODE));
    }

    @Override
    protected VaultKind expectedKind() {
        return VaultKind.PKCS11;
    }
}
