package dev.keyescrow.hsm.pkcs11;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CKA_LABELs of the token objects this layer owns. Only these few objects live on the
 * token (SoftHSM2 looks objects up by scanning files): the identity and transport key
 * pairs, the seal key and one epoch KEK, two during a rotation. Shares are never token objects.
 */
final class ObjectLabels {
    static final String IDENTITY = "keyescrow-identity";
    static final String TRANSPORT = "keyescrow-transport";
    /** The seal key: AES-256, encrypt/decrypt only, seals requests' ephemeral private keys. */
    static final String SEAL = "keyescrow-seal";
    private static final String EPOCH_PREFIX = "keyescrow-epoch-";
    private static final Pattern EPOCH = Pattern.compile("keyescrow-epoch-([1-9][0-9]{0,9})");

    private ObjectLabels() {
    }

    static String epoch(long epoch) {
        return EPOCH_PREFIX + epoch;
    }

    /** The epoch named by a label, if it is an epoch KEK's label. */
    static OptionalLong parseEpoch(String label) {
        if (label == null) {
            return OptionalLong.empty();
        }
        Matcher m = EPOCH.matcher(label.trim());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
