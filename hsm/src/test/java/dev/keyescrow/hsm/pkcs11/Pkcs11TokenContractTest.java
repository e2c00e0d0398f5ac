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
    protected Token reopenWithoutSealKey(Token token) throws Exception {
        token.close();
        Pkcs11Token opened = Pkcs11Token.open(SoftHsm2.module(), fresh.settings(NODE));
        var p11 = opened.wrapperToken();
        for (long handle : p11.findAllObjects(new org.xipki.pkcs11.wrapper.AttributeVector()
                .class_(org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_SECRET_KEY).label(ObjectLabels.SEAL).token(true))) {
            p11.destroyObject(handle);
        }
        opened.close();
        return Pkcs11Token.open(SoftHsm2.module(), fresh.settings(NODE));
    }

    @Override
    protected VaultKind expectedKind() {
        return VaultKind.PKCS11;
    }
}
