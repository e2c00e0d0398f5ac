package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.enrolment.Retirement;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The custodians aggregate: registrations and retirements. One key per custodian, and a
 * retired id never comes back nor is retired while something still counts on it.
 */
final class CustodianRules {
    private final NodeRegistry nodes;
    /** What still uses a custodian id (key versions, ceremonies, RESHAREs), named for a refusal. */
    private final Function<String, List<String>> usesOf;
    private final Map<String, Custodian> custodians = new LinkedHashMap<>();
    private final Map<String, Retirement> retirements = new TreeMap<>();

    CustodianRules(NodeRegistry nodes, Function<String, List<String>> usesOf) {
        this.nodes = nodes;
        this.usesOf = usesOf;
    }

    boolean validate(CoordinatorEvent event) throws RefusedException {
        if (event instanceof CoordinatorEvent.CustodianRegistered c) {
            return validateCustodian(c);
        } else if (event instanceof CoordinatorEvent.CustodianRetired r) {
            return validateRetirement(r);
        }
        throw new IllegalArgumentException("not a custodian event: " + event.type());
    }

    void apply(CoordinatorEvent event, Instant at) {
        if (event instanceof CoordinatorEvent.CustodianRegistered c) {
            custodians.putIfAbsent(c.custodianId(), new Custodian(c.custodianId(), c.publicKey(), c.nodeId(), at));
        } else if (event instanceof CoordinatorEvent.CustodianRetired r) {
            retirements.putIfAbsent(r.custodianId(), new Retirement(r.custodianId(), r.operator(), r.reason(), at));
        } else {
            throw new IllegalArgumentException("not a custodian event: " + event.type());
        }
    }

    private boolean validateCustodian(CoordinatorEvent.CustodianRegistered c) throws RefusedException {
        if (!Identifiers.isValid(c.custodianId())) {
            throw new RefusedException(RefusalReason.INVALID, "custodian id must match [a-z0-9][a-z0-9-]{0,63}");
        }
        if (c.publicKey() == null || c.publicKey().length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new RefusedException(RefusalReason.INVALID, "publicKey must be the raw 32-byte Ed25519 key");
        }
        if (!Ed25519.isValidPublicKey(c.publicKey())) {
            throw new RefusedException(RefusalReason.INVALID, "publicKey is not an Ed25519 point of prime order");
        }
        if (nodes.find(c.nodeId()).isEmpty()) {
            throw new RefusedException(RefusalReason.INVALID, "node " + c.nodeId() + " is not enrolled");
        }
        requireNotRetired(c.custodianId(), "be registered again", RefusalReason.CONFLICT);
        Custodian existing = custodians.get(c.custodianId());
        if (existing != null) {
            if (Arrays.equals(existing.publicKey(), c.publicKey()) && existing.nodeId().equals(c.nodeId())) {
                return false;
            }
            throw new RefusedException(RefusalReason.CONFLICT, "custodian " + c.custodianId()
                    + " is registered with another key or node; a custodian key is replaced only by RESHARE");
        }
        // one key, one custodian: a shared key would let one person's approval count twice
        for (Custodian other : custodians.values()) {
            if (Arrays.equals(other.publicKey(), c.publicKey())) {
                throw new RefusedException(RefusalReason.CONFLICT, "publicKey is already the key of custodian "
                        + other.id() + "; every custodian has a key of their own");
            }
        }
        return true;
    }

    /**
     * A retirement is refused while the id still counts for something: a share of a key version
     * that is not DESTROYED (or of a ceremony running now), or a place among the new holders of
     * a RESHARE that may still be approved. The refusal names each of them.
     */
    private boolean validateRetirement(CoordinatorEvent.CustodianRetired r) throws RefusedException {
        if (!custodians.containsKey(r.custodianId())) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no custodian " + r.custodianId() + " is registered");
        }
        try {
            Retirement.requireReason(r.reason());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
        if (retirements.containsKey(r.custodianId())) {
            return false;
        }
        List<String> uses = usesOf.apply(r.custodianId());
        if (!uses.isEmpty()) {
            throw new RefusedException(RefusalReason.CONFLICT, "custodian " + r.custodianId() + " is still used by "
                    + String.join(", ", uses) + "; destroy those versions or reshare them to other custodians first");
        }
        return true;
    }

    /** A retired id can do nothing any more: {@code what} names what was tried. */
    void requireNotRetired(String custodianId, String what, RefusalReason reason) throws RefusedException {
        Retirement retired = retirements.get(custodianId);
        if (retired != null) {
            throw new RefusedException(reason, "custodian "
                    + custodianId + " was retired (" + retired.reason() + ") and cannot " + what
                    + "; register the person under a new id with a new key");
        }
    }

    /** The registered custodian {@code id}, or null. */
    Custodian get(String id) {
        return custodians.get(id);
    }

    List<Custodian> all() {
        return List.copyOf(custodians.values());
    }

    Optional<Custodian> find(String id) {
        return Optional.ofNullable(custodians.get(id));
    }

    Optional<Retirement> retirement(String custodianId) {
        return Optional.ofNullable(retirements.get(custodianId));
    }

    /** The custodians, by id (retirements are not part of the digest). */
    void digest(StateDigest d) {
        new TreeMap<>(custodians).values().forEach(c -> d.field("custodian").field(c.id()).field(c.publicKey())
                .field(c.nodeId()).field(c.registeredAt().toEpochMilli()));
    }
}
