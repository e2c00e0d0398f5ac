package dev.keyescrow.coordinator.ledger;

import java.util.EnumSet;
import java.util.Set;

/**
 * NIST SP 800-57 states of a key version. PRE_ACTIVE until every custodian countersigned
 * the manifest; DEACTIVATED and COMPROMISED keep decrypting (a USE session refuses encrypt
 * and sign there); DESTROYED is final.
 */
public enum KeyState {
    PRE_ACTIVE,
    ACTIVE,
    DEACTIVATED,
    COMPROMISED,
    DESTROYED;

    public Set<KeyState> successors() {
        return switch (this) {
            case PRE_ACTIVE -> EnumSet.of(ACTIVE, COMPROMISED, DESTROYED);
            case ACTIVE -> EnumSet.of(DEACTIVATED, COMPROMISED, DESTROYED);
            case DEACTIVATED -> EnumSet.of(COMPROMISED, DESTROYED);
            case COMPROMISED -> EnumSet.of(DESTROYED);
            case DESTROYED -> EnumSet.noneOf(KeyState.class);
        };
    }

    /** Whether the key may still protect new data (encrypt, sign). */
    public boolean protects() {
        return this == ACTIVE;
    }

    /** Whether the key may still process protected data (decrypt). */
    public boolean processes() {
        return this == ACTIVE || this == DEACTIVATED || this == COMPROMISED;
    }
}
