package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.TokenFailureException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * The token's epoch KEKs (one, two while a rotation is open) and the open rotation's marker.
 * The map epoch → handle is replaced, never mutated, under the token's write lock, so a
 * release reads it without locking; a KEK is forgotten before it is destroyed, so a release
 * racing the destroy reads its failure as "shredded".
 */
final class EpochKeks {
    private final PKCS11Token p11;
    private final Object lock;
    private volatile TreeMap<Long, Long> keks;
    /** The epoch being rotated from; null while no rotation is open. */
    private Long rotatingFrom;

    EpochKeks(PKCS11Token p11, TreeMap<Long, Long> keks, Object lock) {
        this.p11 = p11;
        this.keks = keks;
        this.lock = lock;
    }

    /** The KEK handle of {@code epoch}, or null if it has none (shredded). */
    Long handle(long epoch) {
        return keks.get(epoch);
    }

    boolean contains(long epoch) {
        return keks.containsKey(epoch);
    }

    /** A KEK for the known-good probe, or null if the token has none. */
    Long anyHandle() {
        TreeMap<Long, Long> current = keks;
        return current.isEmpty() ? null : current.firstEntry().getValue();
    }

    /** The epoch new blobs belong to: the old one while a rotation is open. */
    long current() {
        synchronized (lock) {
            return rotatingFrom != null ? rotatingFrom : keks.lastKey();
        }
    }

    /** The single epoch and its KEK that an import wraps under; imports wait for an open rotation. */
    Map.Entry<Long, Long> forImport() throws TokenFailureException {
        synchronized (lock) {
            if (rotatingFrom != null) {
                throw new IllegalStateException("an epoch rotation is open; imports wait for it");
            }
            requireSingleEpoch();
            return keks.lastEntry();
        }
    }

    /** The epochs whose KEK is on the token now, read from the token itself. */
    List<Long> onToken() throws TokenFailureException {
        try {
            return List.copyOf(TokenObjects.epochKeks(p11).keySet());
        } catch (TokenException e) {
            throw new TokenFailureException("listing epoch KEKs failed: " + Pkcs11Failures.name(e));
        }
    }

    /** Creates the next epoch's KEK beside the current one and marks the rotation open; returns the old epoch. */
    long beginRotation() throws TokenFailureException {
        synchronized (lock) {
            if (rotatingFrom != null) {
                throw new IllegalStateException("an epoch rotation is already open");
            }
            requireSingleEpoch();
            long from = keks.lastKey();
            long handle;
            try {
                handle = p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.epochKek(from + 1));
            } catch (TokenException e) {
                throw new TokenFailureException("creating the KEK of epoch " + (from + 1) + " failed: "
                        + Pkcs11Failures.name(e));
            }
            TreeMap<Long, Long> next = new TreeMap<>(keks);
            next.put(from + 1, handle);
            keks = next;
            rotatingFrom = from;
            return from;
        }
    }

    /** Destroys the old epoch's KEK and closes the rotation; if the destroy fails, the rotation stays open. */
    void commitRotation(long from) throws TokenFailureException {
        synchronized (lock) {
            TreeMap<Long, Long> before = keks;
            TreeMap<Long, Long> next = new TreeMap<>(before);
            next.remove(from);
            keks = next;
            try {
                destroy(from, before.get(from));
            } catch (TokenFailureException e) {
                keks = before;
                throw e;
            }
            rotatingFrom = null;
        }
    }

    /** Closes the rotation and destroys the new epoch's KEK: the old epoch stays current. */
    void abortRotation(long to) throws TokenFailureException {
        synchronized (lock) {
            rotatingFrom = null;
            TreeMap<Long, Long> before = keks;
            TreeMap<Long, Long> next = new TreeMap<>(before);
            next.remove(to);
            keks = next;
            destroy(to, before.get(to));
        }
    }

    /** After an interrupted rotation: keeps {@code completeEpoch}'s KEK and destroys the others. */
    void retainOnly(long completeEpoch) throws TokenFailureException {
        synchronized (lock) {
            if (rotatingFrom != null) {
                throw new IllegalStateException("an epoch rotation is open");
            }
            if (!keks.containsKey(completeEpoch)) {
                throw new TokenFailureException("epoch " + completeEpoch + " has no KEK in the token");
            }
            TreeMap<Long, Long> before = keks;
            TreeMap<Long, Long> only = new TreeMap<>();
            only.put(completeEpoch, before.get(completeEpoch));
            keks = only;
            for (var entry : before.entrySet()) {
                if (entry.getKey() != completeEpoch) {
                    destroy(entry.getKey(), entry.getValue());
                }
            }
        }
    }

    private void requireSingleEpoch() throws TokenFailureException {
        if (keks.size() != 1) {
            throw new TokenFailureException("the token holds epochs " + keks.keySet()
                    + " after an interrupted rotation; call retainOnlyEpoch with the complete one");
        }
    }

    private void destroy(long epoch, long handle) throws TokenFailureException {
        try {
            p11.destroyObject(handle);
        } catch (TokenException e) {
            throw new TokenFailureException("destroying the KEK of epoch " + epoch + " failed: "
                    + Pkcs11Failures.name(e));
        }
    }
}
