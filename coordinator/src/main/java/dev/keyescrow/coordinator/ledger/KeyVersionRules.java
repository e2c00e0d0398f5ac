package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The key versions aggregate: ceremonies (running, rolled back, failed), the versions they
 * create, their countersignatures and NIST states. A ceremony names registered, unretired
 * custodians as they registered; a version becomes ACTIVE only once every holder countersigned.
 */
final class KeyVersionRules {
    private final CustodianRules custodians;
    private final byte[] coordinatorPublicKey;
    private final NavigableMap<String, TreeMap<Integer, VersionEntry>> keys = new TreeMap<>();
    private final Map<String, VersionEntry> ceremonies = new HashMap<>();
    /**
     * Rolled-back ceremonies, by {@code keyId/version}: the rollbacks some holder has not
     * receipted are published again at start and when a member joins. The manifests and import
     * receipts are derived from the ceremony-started and ceremony-failed records; the rollback
     * receipts are state of their own (in the digest).
     */
    private final Map<String, RolledBackCeremony> rolledBack = new TreeMap<>();
    private final Map<String, TreeMap<Integer, String>> failedCeremonies = new HashMap<>();

    KeyVersionRules(CustodianRules custodians, byte[] coordinatorPublicKey) {
        this.custodians = custodians;
        this.coordinatorPublicKey = coordinatorPublicKey;
    }

    private static String versionKey(String keyId, int version) {
        return keyId + "/" + version;
    }

    boolean validate(CoordinatorEvent event) throws RefusedException {
        if (event instanceof CoordinatorEvent.CeremonyStarted c) {
            validateCeremony(parseManifest(c.manifest()));
            return true;
        } else if (event instanceof CoordinatorEvent.CeremonyFailed f) {
            ceremony(f.keyId(), f.version());
            return true;
        } else if (event instanceof CoordinatorEvent.VersionCreated v) {
            VersionEntry entry = ceremony(v.keyId(), v.version());
            if (entry.receipts.size() != entry.manifest.shareCount()) {
                throw new RefusedException(RefusalReason.WRONG_STATE, v.keyId() + " v" + v.version() + " has "
                        + entry.receipts.size() + " of " + entry.manifest.shareCount() + " import receipts");
            }
            try {
                CoordinatorStatement.verify(coordinatorPublicKey, Kind.MANIFEST, entry.manifest.digest(),
                        v.coordinatorSignature());
            } catch (SignatureException e) {
                throw new RefusedException(RefusalReason.BAD_SIGNATURE, "manifest signature: " + e.getMessage());
            }
            return true;
        } else if (event instanceof CoordinatorEvent.Countersigned c) {
            VersionEntry entry = version(c.keyId(), c.version());
            Holder holder = custodianHolder(entry.manifest, c.custodianId());
            try {
                entry.manifest.verifyCountersignature(holder.custodianId(), c.signature());
            } catch (SignatureException e) {
                throw new RefusedException(RefusalReason.BAD_SIGNATURE, "countersignature of " + c.custodianId()
                        + " over " + c.keyId() + " v" + c.version() + ": " + e.getMessage());
            }
            return !entry.countersignatures.containsKey(c.custodianId());
        } else if (event instanceof CoordinatorEvent.VersionStateChanged s) {
            return validateStateChange(s);
        }
        throw new IllegalArgumentException("not a key version event: " + event.type());
    }

    private boolean validateStateChange(CoordinatorEvent.VersionStateChanged s) throws RefusedException {
        VersionEntry entry = version(s.keyId(), s.version());
        if (entry.state == s.state()) {
            return false;
        }
        if (!entry.state.successors().contains(s.state())) {
            throw new RefusedException(RefusalReason.WRONG_STATE, s.keyId() + " v" + s.version()
                    + " cannot move from " + entry.state + " to " + s.state());
        }
        if (s.state() == KeyState.ACTIVE && entry.countersignatures.size() != entry.manifest.shareCount()) {
            throw new RefusedException(RefusalReason.WRONG_STATE, s.keyId() + " v" + s.version()
                    + " is not countersigned by every custodian yet");
        }
        return true;
    }

    private void validateCeremony(Manifest manifest) throws RefusedException {
        String keyId = manifest.keyId();
        if (ceremonies.containsKey(versionKey(keyId, manifest.version()))) {
            throw new RefusedException(RefusalReason.CONFLICT, "a ceremony for " + keyId + " v" + manifest.version()
                    + " is already running");
        }
        if (manifest.version() != nextVersion(keyId)) {
            throw new RefusedException(RefusalReason.CONFLICT, keyId + " v" + manifest.version()
                    + " is not the key's next version (" + nextVersion(keyId) + ")");
        }
        for (Holder h : manifest.holders()) {
            Custodian c = custodians.get(h.custodianId());
            if (c == null) {
                throw new RefusedException(RefusalReason.INVALID, "custodian " + h.custodianId()
                        + " is not registered");
            }
            custodians.requireNotRetired(h.custodianId(), "hold a share", RefusalReason.INVALID);
            if (!Arrays.equals(c.publicKey(), h.publicKey()) || !c.nodeId().equals(h.nodeId())) {
                throw new RefusedException(RefusalReason.INVALID, "holder " + h.index() + " does not match custodian "
                        + h.custodianId() + "'s registration");
            }
        }
    }

    void apply(CoordinatorEvent event, Instant at) {
        if (event instanceof CoordinatorEvent.CeremonyStarted c) {
            Manifest manifest = parseManifestUnchecked(c.manifest());
            ceremonies.put(versionKey(manifest.keyId(), manifest.version()), new VersionEntry(manifest, c.manifest(),
                    c.publicKey()));
        } else if (event instanceof CoordinatorEvent.CeremonyFailed f) {
            VersionEntry failed = ceremonies.remove(versionKey(f.keyId(), f.version()));
            if (failed != null) {
                rolledBack.put(versionKey(f.keyId(), f.version()), new RolledBackCeremony(failed.manifest,
                        failed.receipts.keySet()));
            }
            failedCeremonies.computeIfAbsent(f.keyId(), k -> new TreeMap<>()).put(f.version(), f.reason());
        } else if (event instanceof CoordinatorEvent.VersionCreated v) {
            VersionEntry entry = ceremonies.remove(versionKey(v.keyId(), v.version()));
            entry.coordinatorSignature = v.coordinatorSignature().clone();
            entry.state = KeyState.PRE_ACTIVE;
            entry.history.add(new Transition(KeyState.PRE_ACTIVE.name(), "every share imported and receipted", at));
            keys.computeIfAbsent(v.keyId(), k -> new TreeMap<>()).put(v.version(), entry);
        } else if (event instanceof CoordinatorEvent.Countersigned c) {
            keys.get(c.keyId()).get(c.version()).countersignatures.putIfAbsent(c.custodianId(), c.signature().clone());
        } else if (event instanceof CoordinatorEvent.VersionStateChanged s) {
            VersionEntry entry = keys.get(s.keyId()).get(s.version());
            entry.state = s.state();
            entry.history.add(new Transition(s.state().name(), s.reason(), at));
        } else {
            throw new IllegalArgumentException("not a key version event: " + event.type());
        }
    }

    // ---------------------------------------------------------------- lookups for the other rules

    /** The running ceremony of {@code keyId} v{@code version}. */
    VersionEntry ceremony(String keyId, int version) throws RefusedException {
        VersionEntry entry = ceremonies.get(versionKey(keyId, version));
        if (entry == null) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no ceremony is running for " + keyId + " v" + version);
        }
        return entry;
    }

    /** The created version {@code keyId} v{@code version}. */
    VersionEntry version(String keyId, int version) throws RefusedException {
        TreeMap<Integer, VersionEntry> versions = keys.get(keyId);
        if (versions == null || !versions.containsKey(version)) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no key version " + keyId + " v" + version);
        }
        return versions.get(version);
    }

    /** A running ceremony that an event already validated against: it exists. */
    VersionEntry ceremonyEntry(String keyId, int version) {
        return ceremonies.get(versionKey(keyId, version));
    }

    /** A version that an event already validated against: it exists. */
    VersionEntry existing(String keyId, int version) {
        return keys.get(keyId).get(version);
    }

    /** The rolled-back ceremony of {@code keyId} v{@code version}, or null. */
    RolledBackCeremony rolledBack(String keyId, int version) {
        return rolledBack.get(versionKey(keyId, version));
    }

    /** The versions not DESTROYED and the running ceremonies in which {@code custodianId} holds a share. */
    List<String> usesOf(String custodianId) {
        List<String> uses = new ArrayList<>();
        keys.forEach((keyId, versions) -> versions.values().forEach(v -> {
            if (v.state != KeyState.DESTROYED && holds(v.manifest, custodianId)) {
                uses.add(keyId + " v" + v.manifest.version() + " (" + v.state + ")");
            }
        }));
        ceremonies.values().forEach(v -> {
            if (holds(v.manifest, custodianId)) {
                uses.add(v.manifest.keyId() + " v" + v.manifest.version() + " (ceremony running)");
            }
        });
        return uses;
    }

    private static boolean holds(Manifest manifest, String custodianId) {
        return manifest.holders().stream().anyMatch(h -> h.custodianId().equals(custodianId));
    }

    private static Holder custodianHolder(Manifest manifest, String custodianId) throws RefusedException {
        return manifest.holders().stream().filter(h -> h.custodianId().equals(custodianId)).findFirst()
                .orElseThrow(() -> new RefusedException(RefusalReason.INVALID, "custodian " + custodianId
                        + " holds no share of " + manifest.keyId() + " v" + manifest.version()));
    }

    // ---------------------------------------------------------------- queries

    /** Every countersignature and import receipt, in the order of key versions. */
    void collectSignatures(List<AuditSignatures.Countersignature> countersignatures,
            List<CoordinatorEvent.ReceiptVerified> imports, List<CoordinatorEvent.RollbackReceiptVerified> rollbacks) {
        keys.values().forEach(versions -> versions.values().forEach(v -> {
            v.countersignatures.forEach((custodian, signature) -> countersignatures.add(
                    new AuditSignatures.Countersignature(v.manifest.keyId(), v.manifest.version(), custodian,
                            signature)));
            imports.addAll(v.receipts.values());
        }));
        rolledBack.values().forEach(c -> rollbacks.addAll(c.receipts.values()));
    }

    boolean isKeyIdTaken(String keyId) {
        return keys.containsKey(keyId) || failedCeremonies.containsKey(keyId)
                || ceremonies.keySet().stream().anyMatch(k -> k.startsWith(keyId + "/"));
    }

    int nextVersion(String keyId) {
        int last = 0;
        if (keys.containsKey(keyId)) {
            last = Math.max(last, keys.get(keyId).lastKey());
        }
        if (failedCeremonies.containsKey(keyId)) {
            last = Math.max(last, failedCeremonies.get(keyId).lastKey());
        }
        return last + 1;
    }

    List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    List<String> keyIdsAfter(String after, int limit) {
        NavigableMap<String, ?> view = after == null ? keys : keys.tailMap(after, false);
        List<String> out = new ArrayList<>(Math.min(limit, view.size()));
        for (String id : view.keySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    List<KeyVersionView> versions(String keyId) {
        TreeMap<Integer, VersionEntry> versions = keys.get(keyId);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().map(VersionEntry::view).toList();
    }

    Optional<KeyVersionView> find(String keyId, int version) {
        TreeMap<Integer, VersionEntry> versions = keys.get(keyId);
        return versions == null || !versions.containsKey(version) ? Optional.empty()
                : Optional.of(versions.get(version).view());
    }

    List<Manifest> rollbacksAwaitingReceipts() {
        return rolledBack.values().stream().filter(RolledBackCeremony::awaitsReceipts).map(c -> c.manifest).toList();
    }

    List<Manifest> runningCeremonies() {
        return ceremonies.values().stream().map(e -> e.manifest).toList();
    }

    /** Versions, running ceremonies, rollback receipts and failed ceremonies, in that fixed order. */
    void digest(StateDigest d) {
        keys.forEach((keyId, versions) -> versions.forEach((version, v) -> {
            d.field("version").field(keyId).field(version).field(v.canonical).field(v.publicKey)
                    .field(v.coordinatorSignature == null ? new byte[0] : v.coordinatorSignature)
                    .field(v.state == null ? "-" : v.state.name());
            v.receipts.values().forEach(r -> d.field("receipt").field(CoordinatorEvents.encode(r)));
            v.countersignatures.forEach((custodian, signature) -> d.field(custodian).field(signature));
            v.history.forEach(t -> CoordinatorLedger.digest(d, t));
            v.shredded.forEach(index -> d.field("shredded").field(index));
        }));
        new TreeSet<>(ceremonies.keySet()).forEach(c -> d.field("ceremony").field(c));
        rolledBack.values().forEach(c -> c.receipts.values().forEach(r -> d.field("rollback-receipt")
                .field(CoordinatorEvents.encode(r))));
        new TreeMap<>(failedCeremonies).forEach((keyId, failed) -> failed.forEach((version, why) ->
                d.field("failed").field(keyId).field(version).field(why)));
    }

    private static Manifest parseManifest(String canonical) throws RefusedException {
        try {
            return Manifest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    private static Manifest parseManifestUnchecked(String canonical) {
        try {
            return Manifest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new IllegalStateException("a validated manifest no longer parses", e);
        }
    }
}
