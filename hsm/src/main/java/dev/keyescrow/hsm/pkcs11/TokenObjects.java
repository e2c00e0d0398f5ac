package dev.keyescrow.hsm.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_POINT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_SECRET_KEY;

import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.hsm.spec.P256;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * The keyescrow objects found on a token (labels in {@link ObjectLabels}): their handles and
 * public points, read once at open and cached, since the token is searched by scanning files.
 * Built only by {@link #find}; the token object holds what it needs from it.
 *
 * @param sealKey null for a token provisioned before the seal key existed
 */
record TokenObjects(long identityPrivateKey, byte[] identityPublicKey, long transportPrivateKey,
        byte[] transportPublicKey, TreeMap<Long, Long> epochKeks, Long sealKey) {

    /** Whether the token already holds an identity key, a transport key or an epoch KEK. */
    static boolean anyPresent(PKCS11Token p11) throws TokenException, TokenFailureException {
        return findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.IDENTITY) != null
                || findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.TRANSPORT) != null || !epochKeks(p11).isEmpty();
    }

    /**
     * @throws TokenNotProvisionedException if a key is missing or its label is not unique
     */
    static TokenObjects find(PKCS11Token p11, String tokenLabel) throws TokenException, TokenFailureException {
        Long identityPrivate = findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.IDENTITY);
        Long identityPublic = findOne(p11, CKO_PUBLIC_KEY, ObjectLabels.IDENTITY);
        Long transportPrivate = findOne(p11, CKO_PRIVATE_KEY, ObjectLabels.TRANSPORT);
        Long transportPublic = findOne(p11, CKO_PUBLIC_KEY, ObjectLabels.TRANSPORT);
        TreeMap<Long, Long> keks = epochKeks(p11);
        if (identityPrivate == null || identityPublic == null || transportPrivate == null || transportPublic == null
                || keks.isEmpty()) {
            throw new TokenNotProvisionedException("token '" + tokenLabel
                    + "' lacks its identity key, transport key or epoch KEK; it must be re-provisioned");
        }
        return new TokenObjects(identityPrivate, ecPoint(p11, identityPublic), transportPrivate,
                ecPoint(p11, transportPublic), keks, findOne(p11, CKO_SECRET_KEY, ObjectLabels.SEAL));
    }

    /** epoch → KEK handle, for every secret key whose label names an epoch. */
    static TreeMap<Long, Long> epochKeks(PKCS11Token p11) throws TokenException {
        TreeMap<Long, Long> keks = new TreeMap<>();
        for (long handle : p11.findAllObjects(new AttributeVector().class_(CKO_SECRET_KEY).token(true))) {
            OptionalLong epoch = ObjectLabels.parseEpoch(p11.getAttrValues(handle, CKA_LABEL).label());
            if (epoch.isPresent()) {
                keks.put(epoch.getAsLong(), handle);
            }
        }
        return keks;
    }

    private static Long findOne(PKCS11Token p11, long objectClass, String label)
            throws TokenException, TokenFailureException {
        long[] found = p11.findAllObjects(new AttributeVector().class_(objectClass).label(label).token(true));
        if (found.length > 1) {
            throw new TokenNotProvisionedException("the token holds " + found.length + " objects labelled '" + label
                    + "'; expected one");
        }
        return found.length == 0 ? null : found[0];
    }

    private static byte[] ecPoint(PKCS11Token p11, long publicKey) throws TokenException, TokenFailureException {
        byte[] point = p11.getAttrValues(publicKey, CKA_EC_POINT).ecPoint();
        if (point != null && point.length == 67 && point[0] == 0x04 && point[1] == 0x41) {
            point = Arrays.copyOfRange(point, 2, 67); // a DER OCTET STRING the wrapper did not unwrap
        }
        try {
            P256.decode(point);
        } catch (InvalidPeerKeyException e) {
            throw new TokenFailureException("a public key on the token is not a P-256 point");
        }
        return point;
    }
}
